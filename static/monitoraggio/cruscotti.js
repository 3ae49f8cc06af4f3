/*
 * Dashboards: draws every <canvas data-grafico="ID"> with Chart.js from the JSON in <script id="ID">
 * (Django's json_script). No inline script: the page's Content-Security-Policy forbids it.
 * The table beside each chart holds the same data and is its accessible equivalent.
 */
(function () {
  "use strict";

  // The palette of pianizona/grafici.py: at least 3:1 against white (WCAG 1.4.11).
  var COLORI = ["#0066cc", "#b35900", "#00805a", "#a3007d", "#5c6f82", "#8a6d00", "#c2185b", "#1f2a44"];
  var EURO = new Intl.NumberFormat("it-IT", { style: "currency", currency: "EUR" });
  var NUMERO = new Intl.NumberFormat("it-IT", { maximumFractionDigits: 2 });

  function formatta(valore, unita) {
    if (valore === null || valore === undefined) { return "—"; }
    if (unita === "euro") { return EURO.format(valore); }
    if (unita === "percentuale") { return NUMERO.format(valore) + "%"; }
    return NUMERO.format(valore);
  }

  function configurazione(dati) {
    var asseValori = dati.orizzontale ? "x" : "y";
    var asseCategorie = dati.orizzontale ? "y" : "x";
    var scale = {};
    scale[asseValori] = {
      beginAtZero: true,
      stacked: dati.impilato,
      ticks: { callback: function (v) { return formatta(v, dati.unita); } },
      grid: { color: "#d9dadb" }
    };
    scale[asseCategorie] = { stacked: dati.impilato, ticks: { autoSkip: false }, grid: { display: false } };
    var riduci = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    return {
      type: dati.tipo,
      data: {
        labels: dati.etichette,
        datasets: dati.serie.map(function (s, i) {
          var colore = COLORI[i % COLORI.length];
          return { label: s.nome, data: s.valori, backgroundColor: colore, borderColor: colore, borderWidth: 1 };
        })
      },
      options: {
        indexAxis: dati.orizzontale ? "y" : "x",
        maintainAspectRatio: false,
        animation: riduci ? false : undefined,
        scales: scale,
        plugins: {
          legend: { display: dati.serie.length > 1, position: "bottom" },
          tooltip: {
            callbacks: {
              label: function (contesto) {
                var valore = dati.orizzontale ? contesto.parsed.x : contesto.parsed.y;
                return contesto.dataset.label + ": " + formatta(valore, dati.unita);
              }
            }
          }
        }
      }
    };
  }

  function disegna() {
    if (typeof window.Chart === "undefined") { return; }
    window.Chart.defaults.color = "#1a1a1a";
    window.Chart.defaults.font.family = "'Titillium Web', Geneva, Tahoma, sans-serif";
    document.querySelectorAll("canvas[data-grafico]").forEach(function (canvas) {
      var sorgente = document.getElementById(canvas.dataset.grafico);
      if (!sorgente) { return; }
      var grafico = new window.Chart(canvas, configurazione(JSON.parse(sorgente.textContent)));
      canvas.dataset.disegnato = grafico ? "si" : "no";
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", disegna);
  } else {
    disegna();
  }
})();
