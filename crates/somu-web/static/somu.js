// Somu's progressive enhancement. Every page works without this file; it only adds comfort.
(function () {
  "use strict";
  // Upload forms marked data-progress="upload" show a progress bar while the file travels.
  document.querySelectorAll('form[data-progress="upload"]').forEach(function (form) {
    form.addEventListener("submit", function (ev) {
      var bar = form.querySelector("progress");
      if (!bar || !window.XMLHttpRequest || !window.FormData) { return; }
      ev.preventDefault();
      var xhr = new XMLHttpRequest();
      bar.hidden = false;
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) { bar.value = Math.round((e.loaded / e.total) * 100); }
      });
      xhr.addEventListener("load", function () {
        if (xhr.responseURL && xhr.responseURL !== form.action && xhr.status < 400) {
          window.location.assign(xhr.responseURL);
        } else {
          document.open(); document.write(xhr.responseText); document.close();
        }
      });
      xhr.addEventListener("error", function () { form.submit(); });
      xhr.open("POST", form.action);
      xhr.send(new FormData(form));
    });
  });
})();
