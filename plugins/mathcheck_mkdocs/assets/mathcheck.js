// Typesets the math in `.arithmatex` elements (from pymdownx.arithmatex in generic mode and
// from mathcheck's blocks) with KaTeX, on load and after each instant navigation of Material;
// then fits each block's steps to the width at hand and marks what still has to scroll.
(function () {
  "use strict";

  // Wider than this (in px), aligned steps are printed one equation a line: a printed
  // page's column is narrower than most screens and a script cannot measure it in advance.
  var PRINT_WIDTH = 600;
  var SCROLLERS = "div.arithmatex, .md-typeset__scrollwrap, .md-typeset__table, .mathcheck-table, table, " +
    ".mathcheck-table td, .mathcheck-figure";

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
  // A group of the layout not shown has no width: it is measured once it shows.
  function fit(root) {
    root.querySelectorAll(".mathcheck-fit").forEach(function (group) {
      var math = group.querySelector(".mathcheck-aligned .arithmatex");
      if (!group.getClientRects().length) return;
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

  // The layout switch: the reader's layout, kept across pages and visits, marks <html>
  // (mathcheck.css shows each block's statement in it). "As written", the first choice and
  // the one without this script, shows each block in the layout its page wrote it in.
  var LAYOUT_KEY = "mathcheck.layout";
  var WRITTEN = "written";
  var CHOICES = [   // [name, its short text on a phone, its title]
    [WRITTEN, "written", "Show each derivative in the layout its page wrote it in"],
    ["numerator", "num", "Show every derivative in numerator layout"],
    ["denominator", "den", "Show every derivative in denominator layout"],
  ];

  function storedLayout() {
    try {
      var layout = localStorage.getItem(LAYOUT_KEY);
      return CHOICES.some(function (choice) { return choice[0] === layout; }) ? layout : WRITTEN;
    } catch (blocked) {
      return WRITTEN; // storage refused (a private window, say): the choice lasts the page
    }
  }

  var currentLayout = storedLayout();
  showLayout(); // before the page is typeset: no block shows the other layout first

  function showLayout() {
    var root = document.documentElement;
    root.setAttribute("data-mathcheck-switch", ""); // the switch is here
    if (currentLayout === WRITTEN) root.removeAttribute("data-mathcheck-layout");
    else root.setAttribute("data-mathcheck-layout", currentLayout);
    document.querySelectorAll(".mathcheck-switch button").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.dataset.layout === currentLayout));
    });
  }

  function chooseLayout(name) {
    currentLayout = name;
    try { localStorage.setItem(LAYOUT_KEY, name); } catch (blocked) { /* this page only */ }
    showLayout();
    layout();   // the other layout's formulas have their own widths: fit and mark them again
  }

  function switchControl() {
    var group = document.createElement("div");
    group.className = "mathcheck-switch";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "Layout of derivatives");
    var label = document.createElement("span");
    label.className = "mathcheck-switch__label";
    label.setAttribute("aria-hidden", "true");
    label.textContent = "Layout";
    group.appendChild(label);
    CHOICES.forEach(function (choice) {
      var name = choice[0];
      var whole = name === WRITTEN ? "as written" : name;
      var button = document.createElement("button");
      button.type = "button";
      button.dataset.layout = name;
      button.title = choice[2];
      button.setAttribute("aria-label", name === WRITTEN ? whole : whole + " layout");
      [["long", whole], ["short", choice[1]]].forEach(function (form) {
        var text = document.createElement("span");
        text.className = "mathcheck-switch__" + form[0];
        text.textContent = form[1];
        button.appendChild(text);
      });
      button.addEventListener("click", function () { chooseLayout(name); });
      group.appendChild(button);
    });
    return group;
  }

  // In Material's header, before the search; elsewhere, a bar at the top of the page.
  function placeSwitch() {
    if (document.querySelector(".mathcheck-switch")) return;
    var header = document.querySelector(".md-header__inner");
    var control = switchControl();
    if (header) {
      header.insertBefore(control, header.querySelector(".md-search, .md-header__source"));
    } else {
      control.classList.add("mathcheck-switch--standalone");
      document.body.insertBefore(control, document.body.firstChild);
    }
  }

  function start() {
    placeSwitch();
    showLayout();
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
