/* Tables that fit the page (see .pz-tabella in css/pianizona.css).
 *
 * A table box that scrolls becomes a named region with a tab stop, so the keyboard can scroll it
 * (WCAG 2.1.1); one that fits has neither, so it adds no stop. In a .pz-tabella-impilata every
 * cell gets its column's heading (data-etichetta), which the phone layout shows beside the value;
 * the explicit ARIA roles keep the table a table for screen readers once CSS lays it out as cards.
 */
(function () {
  "use strict";

  function nomeDellaTabella(box) {
    var tabella = box.querySelector("table");
    var didascalia = tabella && tabella.querySelector("caption");
    if (didascalia && didascalia.textContent.trim()) {
      return didascalia.textContent.replace(/\s+/g, " ").trim();
    }
    var titolo = box.closest("section") && box.closest("section").querySelector("h2, h3, h4");
    return titolo ? titolo.textContent.replace(/\s+/g, " ").trim() : "Tabella";
  }

  function aggiornaScorrimento(box) {
    // Only what this script added is taken back: a box named in the template keeps its name.
    var scorre = box.scrollWidth > box.clientWidth + 1;
    if (scorre && !box.hasAttribute("tabindex")) {
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      if (!box.hasAttribute("aria-label") && !box.hasAttribute("aria-labelledby")) {
        box.setAttribute("aria-label", nomeDellaTabella(box) + " (scorre in orizzontale)");
        box.dataset.pzEtichetta = "si";
      }
      box.dataset.pzAutomatico = "si";
    } else if (!scorre && box.dataset.pzAutomatico === "si") {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      if (box.dataset.pzEtichetta === "si") box.removeAttribute("aria-label");
      delete box.dataset.pzAutomatico;
      delete box.dataset.pzEtichetta;
    }
  }

  function intestazioni(tabella) {
    // The last header row's cells by column, colspans expanded: the headings nearest the values.
    var righe = tabella.tHead ? tabella.tHead.rows : [];
    var nomi = [];
    if (!righe.length) return nomi;
    Array.prototype.forEach.call(righe[righe.length - 1].cells, function (cella) {
      var testo = cella.textContent.replace(/\s+/g, " ").trim();
      for (var i = 0; i < (cella.colSpan || 1); i++) nomi.push(testo);
    });
    return nomi;
  }

  function impila(tabella) {
    var nomi = intestazioni(tabella);
    tabella.setAttribute("role", "table");
    Array.prototype.forEach.call(tabella.querySelectorAll(":scope > thead, :scope > tbody, :scope > tfoot"), function (g) {
      g.setAttribute("role", "rowgroup");
    });
    Array.prototype.forEach.call(tabella.rows, function (riga) {
      riga.setAttribute("role", "row");
      var colonna = 0;
      Array.prototype.forEach.call(riga.cells, function (cella) {
        var ambito = cella.getAttribute("scope");
        if (cella.tagName === "TH") {
          cella.setAttribute("role", ambito === "row" || ambito === "rowgroup" ? "rowheader" : "columnheader");
        } else {
          cella.setAttribute("role", "cell");
        }
        var nome = nomi[colonna];
        var inTesta = riga.parentElement === tabella.tHead;
        if (!inTesta && colonna > 0 && nome && !cella.classList.contains("pz-azioni") && (cella.colSpan || 1) === 1) {
          cella.setAttribute("data-etichetta", nome);
        }
        colonna += cella.colSpan || 1;
      });
    });
  }

  function prepara(radice) {
    var boxes = (radice || document).querySelectorAll(".pz-tabella");
    Array.prototype.forEach.call(boxes, function (box) {
      if (box.classList.contains("pz-tabella-impilata")) {
        var tabella = box.querySelector(":scope > table");
        if (tabella && !tabella.hasAttribute("role")) impila(tabella);
      }
      aggiornaScorrimento(box);
    });
  }

  var attesa;
  window.addEventListener("resize", function () {
    clearTimeout(attesa);
    attesa = setTimeout(function () { prepara(document); }, 100);
  });
  // htmx swaps in fresh tables (the plan's panel, filters): prepare them as well.
  document.addEventListener("htmx:afterSettle", function (e) { prepara(e.target); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { prepara(document); });
  } else {
    prepara(document);
  }
})();
