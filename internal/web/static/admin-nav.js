// The admin sidebar: on narrow screens it folds away behind the menu
// button. Without this script the sidebar simply stays open.
(function () {
  var toggle = document.getElementById("admin-menu-toggle");
  var side = document.getElementById("admin-side");
  if (!toggle || !side) return;
  document.body.classList.add("js-nav");
  toggle.addEventListener("click", function () {
    var open = side.classList.toggle("open");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  });
})();
