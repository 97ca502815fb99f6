// The ALTCHA widget, loaded when a person starts filling in a form that carries it, so that
// readers download nothing more and ask for no challenge; the work is done by the time the
// form is sent. Besides its script and stylesheet, the settings name what its HTML attributes
// cannot carry: the worker that solves the challenge, a file of this site (the CSP forbids
// workers made from strings), and the widget's words in the page's language.
const settings = JSON.parse(document.getElementById("altcha-settings").textContent);
let loading = null;

function load() {
  if (!loading) {
    const style = document.createElement("link");
    style.rel = "stylesheet";
    style.href = settings.style;
    document.head.append(style);
    loading = import(settings.script).then(() => {
      globalThis.$altcha.algorithms.set("PBKDF2/SHA-256", () => new Worker(settings.worker));
      globalThis.$altcha.i18n.set(settings.language, settings.strings);
      return customElements.whenDefined("altcha-widget");
    });
  }
  return loading;
}

// A form sent before the work is done waits for it, at most WAIT_MS; then it goes without a
// solution, which the site accepts under a stricter limit, rather than never.
const WAIT_MS = 15000;
const SETTLED = ["verified", "error", "expired"];

// Starts the work unless the widget has; resolves once it has succeeded or failed.
function solve(widget) {
  return load().then(
    () =>
      new Promise((resolve) => {
        if (SETTLED.includes(widget.getState())) {
          resolve();
          return;
        }
        widget.addEventListener("statechange", (event) => {
          if (SETTLED.includes(event.detail.state)) {
            resolve();
          }
        });
        if (widget.getState() === "unverified") {
          widget.verify();
        }
      }),
  );
}

document.querySelectorAll("altcha-widget").forEach((widget) => {
  const form = widget.closest("form");
  let sending = false;
  // The widget's own "onfocus" start misses the first focus: it did not exist yet.
  form.addEventListener("focusin", () => solve(widget), { once: true });
  form.addEventListener("submit", (event) => {
    if (sending || widget.getState?.() === "verified") {
      return;
    }
    event.preventDefault();
    const send = () => {
      sending = true;
      form.requestSubmit(event.submitter);
    };
    const timeout = new Promise((resolve) => setTimeout(resolve, WAIT_MS));
    Promise.race([solve(widget), timeout]).then(send, send);
  });
});
