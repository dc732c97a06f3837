// Akinai storefront: progressive enhancements only. Every page works
// without this file.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // Confirm buttons: <button data-confirm="...">.
  for (const el of document.querySelectorAll("[data-confirm]")) {
    el.addEventListener("click", (e) => {
      if (!window.confirm(el.dataset.confirm)) e.preventDefault();
    });
  }
  // Forms disable their submit button once sent, so a double click
  // cannot post twice (the server's idempotency key still guards it).
  for (const form of document.querySelectorAll("form[data-once]")) {
    form.addEventListener("submit", () => {
      for (const b of form.querySelectorAll("button[type=submit]")) b.disabled = true;
    });
  }
});
