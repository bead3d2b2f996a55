/*
 * Pramen — the consumption chart of the customer portal (Chart.js 4, vendored).
 * Reads the series from the page's scoped JSON route (`data-source`) or, in the admin preview,
 * from a JSON data block (`data-data-id`); no inline scripts. The same figures are in the table
 * beside the chart, which is what screen readers and keyboard users get.
 */
(() => {
  "use strict";

  const COLOURS = {
    measured: { type: "bar", backgroundColor: "#0b5394", borderColor: "#083d6e", stack: "volume" },
    average: { type: "bar", backgroundColor: "#9dbfe0", borderColor: "#0b5394", borderWidth: 1, stack: "volume" },
    previous: {
      type: "line", borderColor: "#b93d00", backgroundColor: "#b93d00", borderWidth: 2,
      borderDash: [6, 4], pointRadius: 2, stack: "previous", spanGaps: true,
    },
  };

  function loadData(canvas) {
    if (canvas.dataset.source) {
      return fetch(canvas.dataset.source, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      }).then((response) => {
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        return response.json();
      });
    }
    const block = document.getElementById(canvas.dataset.dataId || "");
    return Promise.resolve(block ? JSON.parse(block.textContent) : { labels: [], datasets: [] });
  }

  function draw(canvas, data) {
    const reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    return new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: data.datasets.map((set) => ({ label: set.label, data: set.data, ...COLOURS[set.key] })),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: reduceMotion ? false : { duration: 400 },
        interaction: { mode: "index", intersect: false },
        scales: {
          x: { stacked: true },
          y: { stacked: true, beginAtZero: true, title: { display: true, text: data.unit } },
        },
        plugins: { legend: { position: "bottom" } },
      },
    });
  }

  function init() {
    const canvas = document.getElementById("consumption-chart");
    if (!canvas) return;
    const status = document.querySelector("[data-chart-status]");
    if (typeof window.Chart === "undefined") return;
    loadData(canvas)
      .then((data) => draw(canvas, data))
      .catch(() => {
        if (status) status.textContent = status.dataset.error;
      });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
