// Inside the LLM: small additions to Material, run once (the header survives instant navigation).
(function () {
  // Material's search overlay has role="dialog" but no accessible name.
  var search = document.querySelector(".md-search[role=dialog]");
  if (search && !search.hasAttribute("aria-label")) search.setAttribute("aria-label", "Search the book");
})();
