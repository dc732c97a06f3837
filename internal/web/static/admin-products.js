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

// Product form images: drop several files on the zone, reorder them with
// the arrows; the file input carries them in that order. Without JS the
// multiple file input does the same (in the order chosen).
document.addEventListener('DOMContentLoaded', function () {
  var input = document.getElementById('image-files');
  var zone = document.getElementById('image-drop');
  var list = document.getElementById('drop-list');
  if (!input || !zone || !list || typeof DataTransfer === 'undefined') return;
  zone.hidden = false;
  var files = [];
  function sync() {
    var dt = new DataTransfer();
    files.forEach(function (f) { dt.items.add(f); });
    input.files = dt.files;
    list.textContent = '';
    files.forEach(function (f, i) {
      var li = document.createElement('li');
      li.appendChild(document.createTextNode(f.name + ' '));
      [['↑', -1], ['↓', 1], ['×', 0]].forEach(function (b) {
        var btn = document.createElement('button');
        btn.type = 'button'; btn.textContent = b[0];
        btn.addEventListener('click', function () {
          if (b[1] === 0) { files.splice(i, 1); }
          else { var j = i + b[1]; if (j < 0 || j >= files.length) return; var t = files[i]; files[i] = files[j]; files[j] = t; }
          sync();
        });
        li.appendChild(btn);
      });
      list.appendChild(li);
    });
  }
  input.addEventListener('change', function () { files = Array.prototype.slice.call(input.files); sync(); });
  zone.addEventListener('dragover', function (e) { e.preventDefault(); zone.classList.add('over'); });
  zone.addEventListener('dragleave', function () { zone.classList.remove('over'); });
  zone.addEventListener('drop', function (e) {
    e.preventDefault(); zone.classList.remove('over');
    Array.prototype.forEach.call(e.dataTransfer.files, function (f) { if (/^image\//.test(f.type)) files.push(f); });
    sync();
  });
});

// Choosing a class master for an axis rebuilds the variant rows at once
// (without JS the admin presses the rebuild button).
document.addEventListener('DOMContentLoaded', function () {
  var btn = document.getElementById('make-matrix');
  if (!btn) return;
  document.querySelectorAll('select.axis-class').forEach(function (sel) {
    sel.addEventListener('change', function () { btn.click(); });
  });
});
