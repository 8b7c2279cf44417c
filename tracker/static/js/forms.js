// Forms are sent with `novalidate`, so that the server's messages show in the page. A date the browser cannot read
// (31 February, a date left half typed) would still be sent empty and taken for "no date": the field's old value
// would be erased without a word. Such a form is stopped here, and the field says why (the page's language): a field
// that may be left empty says so, a required one (a milestone's date) only asks for the date to be corrected.
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
    const messages = document.body.dataset;
    field.setCustomValidity((field.required ? messages.unreadableRequired : messages.unreadableInput) || "");
    field.reportValidity();
    field.addEventListener("input", () => field.setCustomValidity(""), { once: true });
  },
  true,
);
