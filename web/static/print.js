// The letter's "Udskriv" button: a script file, not an inline handler (Content-Security-Policy).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
