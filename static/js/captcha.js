// reCAPTCHA v3: fetch a token when the form is submitted, then submit it.
(function () {
  "use strict";
  document.querySelectorAll("input[data-recaptcha-v3]").forEach(function (input) {
    var form = input.form;
    form.addEventListener("submit", function (event) {
      if (input.value || !window.grecaptcha) { return; }
      event.preventDefault();
      window.grecaptcha.ready(function () {
        window.grecaptcha
          .execute(input.dataset.sitekey, { action: input.dataset.action || "submit" })
          .then(function (token) { input.value = token; form.submit(); });
      });
    });
  });
})();
