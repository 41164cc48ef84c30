/* The static site's search (Pagefind) and forms (pre-rendered variants, measure filters).
 * Loaded only on pages of `kek export-site`; the live portal answers these on the server. */
(function () {
  "use strict";

  var siteData = null;

  function loadSite() {
    if (!siteData) {
      siteData = fetch("/static-site.json").then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      });
    }
    return siteData;
  }

  function chosenPairs(params) {
    var pairs = [];
    params.forEach(function (value, key) {
      if (value !== "" && key !== "page") { pairs.push([key, value]); }
    });
    pairs.sort(function (a, b) {
      if (a[0] !== b[0]) { return a[0] < b[0] ? -1 : 1; }
      return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
    });
    return pairs;
  }

  function canonical(pairs) {
    return pairs.map(function (pair) { return pair[0] + "=" + pair[1]; }).join("&");
  }

  function formParams(form) {
    return new URLSearchParams(new FormData(form));
  }

  /* ---- Measure list: any combination of filters from the index of the exported lists. */
  function applyMeasureFilter(index, pairs) {
    var results = document.getElementById("ergebnisse");
    if (!results) { return; }
    var numbers = index.order;
    pairs.forEach(function (pair) {
      /* A value the portal does not offer (no pre-rendered list) is ignored, as its form does. */
      var listed = index.sets[pair[0] + "=" + pair[1]];
      if (!listed) { return; }
      var kept = new Set(listed);
      numbers = numbers.filter(function (number) { return kept.has(number); });
    });
    var count = results.querySelector(".portal-result-count");
    if (count) { count.textContent = count.textContent.replace(/\d+\s*$/, String(numbers.length)); }
    var table = results.querySelector("table.portal-results");
    if (table) {
      table.tBodies[0].innerHTML = numbers.map(function (number) { return index.rows[number]; }).join("");
      table.hidden = numbers.length === 0;
    }
    var pages = results.querySelector(".portal-pagination");
    if (pages) { pages.hidden = true; }
    var form = document.querySelector("form.portal-filters");
    if (form) {
      pairs.forEach(function (pair) {
        var field = form.elements.namedItem(pair[0]);
        if (field && field.type === "checkbox") { field.checked = true; }
        else if (field) { field.value = pair[1]; }
      });
      var details = form.closest("details");
      if (details) { details.open = true; }
    }
  }

  function setUpMeasureFilter(form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var query = canonical(chosenPairs(formParams(form)));
      window.location.href = form.getAttribute("action") + (query ? "?" + query : "");
    });
    var pairs = chosenPairs(new URLSearchParams(window.location.search));
    if (pairs.length) {
      loadSite().then(function (site) { applyMeasureFilter(site.measureFilter, pairs); });
    }
  }

  /* ---- Other GET forms (e.g. the year of an indicator): go to the pre-rendered variant. */
  function setUpVariantForm(form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var action = new URL(form.getAttribute("action") || window.location.pathname, window.location.href);
      var query = canonical(chosenPairs(formParams(form)));
      loadSite().then(function (site) {
        var target = query ? site.variants[action.pathname + "?" + query] : action.pathname;
        /* Not pre-rendered: the address as the portal would have it (the page may read it). */
        window.location.href = target || action.pathname + "?" + query;
      });
    });
  }

  /* ---- Search: Pagefind's index, with the portal's hit layout. */
  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  function runSearch(form, query) {
    var status = element("p", "kern-body portal-result-count");
    status.setAttribute("role", "status");
    var list = element("ol", "portal-hits");
    form.after(status, list);
    status.textContent = "Suche …";
    import("/pagefind/pagefind.js").then(function (pagefind) {
      return pagefind.search(query).then(function (search) {
        return Promise.all(search.results.slice(0, 50).map(function (hit) { return hit.data(); }))
          .then(function (hits) {
            status.textContent = "Treffer für „" + query + "“: " + search.results.length;
            hits.forEach(function (hit) {
              var item = element("li", "portal-hit");
              var heading = element("h2", "kern-heading-small");
              var link = element("a", "kern-link", hit.meta.title || hit.url);
              link.href = hit.url;
              heading.appendChild(link);
              var excerpt = element("p", "kern-body");
              excerpt.innerHTML = hit.excerpt; /* Pagefind escapes the text; adds only <mark> */
              item.append(heading, excerpt);
              list.appendChild(item);
            });
          });
      });
    }).catch(function () {
      status.textContent = "Die Suche ist in dieser Fassung nicht verfügbar.";
    });
  }

  function setUpSearch() {
    var input = document.getElementById("suche-q");
    if (!input) { return; }
    var query = (new URLSearchParams(window.location.search).get("q") || "").trim();
    if (!query) { return; }
    input.value = query;
    runSearch(input.form, query);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[method=get]").forEach(function (form) {
      if (form.getAttribute("role") === "search" || form.querySelector("#suche-q")) { return; }
      if (form.classList.contains("portal-filters")) { setUpMeasureFilter(form); }
      else { setUpVariantForm(form); }
    });
    setUpSearch();
  });
})();
