// Draws every chart of the page: each element with data-chart="KEY" gets the Vega-Lite spec
// kept as JSON in the script element whose id is "spec-KEY". A chart that fails is reported on
// the console (the browser test fails on it) and replaced by a message.
(function () {
  "use strict";
  var containers = document.querySelectorAll("[data-chart]");
  if (typeof window.vegaEmbed !== "function") {
    console.error("The Vega bundle did not load: charts cannot be drawn.");
    return;
  }
  window.reportViews = {};
  containers.forEach(function (container) {
    var key = container.getAttribute("data-chart");
    var source = document.getElementById("spec-" + key);
    var spec = JSON.parse(source.textContent);
    window.vegaEmbed(container, spec, { renderer: "svg", actions: false })
      .then(function (result) {
        window.reportViews[key] = result.view;
        container.setAttribute("data-rendered", "true");
      })
      .catch(function (error) {
        container.setAttribute("data-rendered", "failed");
        container.textContent = "This chart could not be drawn: " + error;
        console.error("chart " + key + " failed: " + error);
      });
  });
})();
