// dealerd console: a little script of our own. Tables marked .sortable sort by a click on a column
// header (numbers in Russian format — "1 234,56 ₽" — sort as numbers).
(function () {
  "use strict";
  function value(cell) {
    var text = (cell && cell.textContent || "").trim();
    var number = text.replace(/[\s\u00a0₽%]/g, "").replace(",", ".");
    if (/^-?\d+(\.\d+)?$/.test(number)) return parseFloat(number);
    var date = /^(\d\d)\.(\d\d)\.(\d{4})$/.exec(text);
    if (date) return date[3] + date[2] + date[1];
    return text.toLowerCase();
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var headers = table.querySelectorAll("thead th");
    headers.forEach(function (header, index) {
      header.tabIndex = 0;
      function sort() {
        var ascending = header.getAttribute("aria-sort") !== "ascending";
        headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
        header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = value(a.cells[index]), y = value(b.cells[index]);
          return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1);
        });
        rows.forEach(function (row) { body.appendChild(row); });
      }
      header.addEventListener("click", sort);
      header.addEventListener("keydown", function (event) { if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sort(); } });
    });
  });
})();
