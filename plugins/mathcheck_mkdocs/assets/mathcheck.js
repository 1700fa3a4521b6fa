// Typesets the math in `.arithmatex` elements (from pymdownx.arithmatex in generic mode and
// from mathcheck's blocks) with KaTeX, on load and after each instant navigation of Material;
// then fits each block's steps to the width at hand and marks what still has to scroll.
(function () {
  "use strict";

  // Wider than this (in px), aligned steps are printed one equation a line: a printed
  // page's column is narrower than most screens and a script cannot measure it in advance.
  var PRINT_WIDTH = 600;
  var SCROLLERS = "div.arithmatex, .md-typeset__scrollwrap, .md-typeset__table, .mathcheck-table, table, .mathcheck-figure";

  function typeset(root) {
    if (typeof renderMathInElement !== "function") {
      return; // the site loads a math renderer of its own (katex_dir: "")
    }
    root.querySelectorAll(".arithmatex").forEach(function (element) {
      renderMathInElement(element, {
        delimiters: [
          { left: "\\[", right: "\\]", display: true },
          { left: "\\(", right: "\\)", display: false },
        ],
        throwOnError: false,
      });
    });
  }

  // Aligned steps where they fit, else one display each (which may break after `=` or `+`).
  function fit(root) {
    root.querySelectorAll(".mathcheck-fit").forEach(function (group) {
      var math = group.querySelector(".mathcheck-aligned .arithmatex");
      if (!group.dataset.width) {
        group.classList.remove("mathcheck-narrow");
        group.dataset.width = String(math.scrollWidth);
      }
      var width = Number(group.dataset.width);
      group.classList.toggle("mathcheck-narrow", width > group.clientWidth + 1);
      group.classList.toggle("mathcheck-wide", width > PRINT_WIDTH);
    });
  }

  // A box whose content is wider than itself scrolls, and says so (see mathcheck.css).
  function markScrollers(root) {
    var article = root.querySelector("article") || root;
    article.querySelectorAll(SCROLLERS).forEach(function (box) {
      var overflow = getComputedStyle(box).overflowX;
      var scrolls = (overflow === "auto" || overflow === "scroll") && box.scrollWidth > box.clientWidth + 1;
      // an attribute, not a class: Material styles only tables without a class
      box.toggleAttribute("data-mathcheck-scrolls", scrolls);
    });
  }

  function layout() {
    fit(document.body);
    markScrollers(document.body);
  }

  // Typesetting changes the heights above a link's target: bring the target back into view,
  // unless the reader has scrolled since.
  function keepTarget() {
    var id = location.hash.slice(1);
    try { id = decodeURIComponent(id); } catch (malformed) { /* `#%E0%A4%A`: taken as written */ }
    var target = id && document.getElementById(id);
    if (!target) return function () {};
    target.scrollIntoView();
    var settled = window.scrollY;
    return function () { if (window.scrollY === settled) target.scrollIntoView(); };
  }

  function start() {
    typeset(document.body);
    layout();
    var again = keepTarget();
    // KaTeX's fonts change the widths once they have loaded
    if (document.fonts) document.fonts.ready.then(function () { layout(); again(); });
  }

  var pending = null;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(layout, 100);
  });
  window.addEventListener("beforeprint", layout);
  // an evidence panel opened: what it shows may have to scroll
  document.addEventListener("toggle", function () { markScrollers(document.body); }, true);
  window.addEventListener("afterprint", layout);

  if (typeof document$ !== "undefined") {
    document$.subscribe(start);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
