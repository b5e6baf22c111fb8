// Loads a chosen reveal file into the text area, so that it is posted with the form.
(function () {
  var input = document.getElementById("reveal-file");
  var text = document.getElementById("reveal-text");
  if (!input || !text) return;
  input.addEventListener("change", function () {
    var file = input.files && input.files[0];
    if (!file) return;
    var reader = new FileReader();
    reader.onload = function () { text.value = String(reader.result || ""); };
    reader.readAsText(file);
  });
})();
