// Admin product form: greys out a variant's stock field while
// "unlimited" is ticked. The form works the same without it.
document.addEventListener('DOMContentLoaded', function () {
  var table = document.getElementById('variant-table');
  if (!table) return;
  function sync(box) {
    var stock = box.closest('td').querySelector('input[type=text]');
    if (stock) stock.disabled = box.checked;
  }
  table.querySelectorAll('input[type=checkbox][name$="_unlimited"]').forEach(function (box) {
    sync(box);
    box.addEventListener('change', function () { sync(box); });
  });
  // Enable the fields again before sending, so the typed values are kept.
  var form = document.getElementById('product-form');
  if (form) form.addEventListener('submit', function () {
    table.querySelectorAll('input[disabled]').forEach(function (el) { el.disabled = false; });
  });
});

// CSV import page: while a check or an import runs, reload every 1.5 s
// (without JS the page offers a reload link).
document.addEventListener('DOMContentLoaded', function () {
  var st = document.getElementById('import-status');
  if (st && st.dataset.running === '1') setTimeout(function () { location.reload(); }, 1500);
});
