// Progressive enhancement of the share links: "copy link" where the clipboard API exists,
// and the phone's own share sheet (Web Share API) where it exists. Without JavaScript the
// plain links and the selectable link field remain.
(function () {
  "use strict";
  // The thank-you page answers the confirming POST at the emailed link's address: show the
  // page's own address instead, so a personal link is not what gets copied or bookmarked.
  var page = document.querySelector("[data-page-address]");
  if (page && window.history.replaceState) {
    window.history.replaceState(null, "", page.dataset.pageAddress);
  }
  document.querySelectorAll(".share__copy").forEach(function (button) {
    if (!navigator.clipboard) { return; }
    button.closest("li").hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(button.dataset.url).then(function () {
        button.textContent = button.dataset.copied;
      });
    });
  });
  document.querySelectorAll(".share__native").forEach(function (button) {
    if (!navigator.share) { return; }
    button.closest("li").hidden = false;
    button.addEventListener("click", function () {
      navigator.share({ title: button.dataset.title, url: button.dataset.url }).catch(function () {});
    });
  });
})();
