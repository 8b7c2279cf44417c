// Forms are sent with `novalidate`, so that the server's messages show in the page. A date the browser cannot read
// (31 February, a date left half typed) would still be sent empty and taken for "no date": the field's old value
// would be erased without a word. Such a form is stopped here, and the field says why (the page's language).
document.addEventListener(
  "submit",
  (event) => {
    const unreadable = Array.from(event.target.elements || []).filter(
      (field) => field.validity && field.validity.badInput,
    );
    if (unreadable.length === 0) return;
    event.preventDefault();
    const field = unreadable[0];
    field.setAttribute("aria-invalid", "true");
    field.setCustomValidity(document.body.dataset.unreadableInput || "");
    field.reportValidity();
    field.addEventListener("input", () => field.setCustomValidity(""), { once: true });
  },
  true,
);
