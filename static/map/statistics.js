// Statistik: one Chart.js chart per table that names its series (data-series="1,2": column
// indexes; data-kinds: bar|line; data-axes: y|y1; data-horizontal). The numbers come from the
// table's own cells (data-value), so the chart and the table never differ; the table stays the
// accessible source. Classic script after chart.umd.min.js (no inline script: CSP).
(function () {
  "use strict";
  const COLOURS = ["#2f6f5e", "#c8763a", "#5d6b73", "#8fb9a8", "#b3261e"];

  function list(table, name) {
    return (table.dataset[name] || "").split(",").filter((s) => s !== "");
  }

  function cellValue(cell) {
    const raw = cell ? cell.dataset.value : "";
    return raw === undefined || raw === "" ? null : Number(raw);
  }

  function readTable(table) {
    const headers = Array.from(table.tHead.rows[0].cells).map((c) => c.textContent.trim());
    const rows = Array.from(table.tBodies[0].rows).filter((r) => r.cells.length > 1);
    const labels = rows.map((r) => r.cells[0].textContent.trim());
    const kinds = list(table, "kinds");
    const axes = list(table, "axes");
    const datasets = list(table, "series").map((col, i) => {
      const index = Number(col);
      const colour = COLOURS[i % COLOURS.length];
      return {
        label: headers[index],
        data: rows.map((r) => cellValue(r.cells[index])),
        type: kinds[i] || "bar",
        yAxisID: axes[i] === "y1" ? "y1" : undefined,
        backgroundColor: colour,
        borderColor: colour,
        order: kinds[i] === "line" ? 0 : 1,
      };
    });
    return { labels, datasets };
  }

  function options(table, data) {
    const horizontal = table.dataset.horizontal === "1";
    const counts = { beginAtZero: true, ticks: { precision: 0 } }; // whole numbers only
    const scales = horizontal ? { x: counts, y: {} } : { x: {}, y: counts };
    if (data.datasets.some((d) => d.yAxisID === "y1")) {
      scales.y1 = { ...counts, position: "right", grid: { drawOnChartArea: false } };
    }
    return {
      indexAxis: horizontal ? "y" : "x",
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      locale: document.documentElement.lang || "de",
      plugins: { legend: { display: data.datasets.length > 1 } },
      scales,
    };
  }

  function draw(canvas) {
    const table = document.getElementById(canvas.dataset.chartTable);
    if (!table || !window.Chart) return;
    const data = readTable(table);
    if (!data.labels.length) return;
    new window.Chart(canvas, { type: "bar", data, options: options(table, data) });
  }

  document.querySelectorAll("canvas[data-chart-table]").forEach(draw);
})();
