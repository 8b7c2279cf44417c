"""axe-core accessibility checks injected into a page (installed by scripts/test into tests/.axe/ from npm)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

AXE_JS = Path(__file__).resolve().parent.parent / ".axe" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return result.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')}`);
}"""


def assert_accessible(page: Page) -> None:
    """Fail when axe-core finds a serious or critical WCAG 2.1 A/AA violation on the page as it is now."""
    assert AXE_JS.exists(), f"axe-core is missing at {AXE_JS}: run scripts/test (it installs it with npm)"
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    violations = page.evaluate(_RUN, WCAG_AA)
    assert not violations, f"{page.url}:\n" + "\n".join(violations)
