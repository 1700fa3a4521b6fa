// Typesets the math in `.arithmatex` elements (from pymdownx.arithmatex in generic mode and
// from mathcheck's blocks) with KaTeX, on load and after each instant navigation of Material.
(function () {
  "use strict";

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

  if (typeof document$ !== "undefined") {
    document$.subscribe(function () {
      typeset(document.body);
    });
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      typeset(document.body);
    });
  } else {
    typeset(document.body);
  }
})();
