// After htmx swaps a wizard step in, move focus to its heading so keyboard and screen-reader
// users start reading the new question (the live region announces it too).
document.addEventListener("htmx:afterSettle", function () {
  var heading = document.getElementById("fit-heading");
  if (heading && document.activeElement !== heading) {
    heading.focus();
  }
});
