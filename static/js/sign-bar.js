// The sign bar at the bottom of a phone's screen leads to the form; while the form itself
// is on screen the bar only covers it, so it steps aside. Without JavaScript it stays.
(function () {
  "use strict";
  var bar = document.querySelector(".sign-bar");
  var panel = document.getElementById("sign");
  if (!bar || !panel || !("IntersectionObserver" in window)) { return; }
  // The form counts as in view once it reaches the upper two thirds of the screen: a sliver
  // at the bottom edge is not yet something a person can fill in.
  new IntersectionObserver(function (entries) {
    bar.classList.toggle("sign-bar--away", entries[0].isIntersecting);
  }, { rootMargin: "0px 0px -33% 0px" }).observe(panel);
})();
