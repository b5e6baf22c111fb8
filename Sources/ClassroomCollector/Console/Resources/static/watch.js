// The watch page (/lessons/{id}): plays the lesson's HLS in the browser's own <video> (no player
// library), shows the player's state, and follows the stream's state from /lessons/{id}/state:
// the playlist is loaded when the stream starts, reloaded after an error while it is live, and the
// player is stopped when the stream ends.
(function () {
  var box = document.getElementById("watch");
  var video = document.getElementById("player");
  var shown = document.getElementById("player-state");
  var labels = document.getElementById("player-labels");
  var badge = document.getElementById("stream-state");
  var fact = document.getElementById("stream-state-fact");
  if (!box || !video || !shown || !labels) return;
  var playlist = box.getAttribute("data-playlist");
  var stateURL = box.getAttribute("data-state-url");
  var stream = box.getAttribute("data-state");
  var retry = null;

  function show(state) {
    shown.setAttribute("data-player-state", state);
    shown.textContent = labels.getAttribute("data-" + state) || state;
  }

  // Plays once the playlist lists a few fragments: Chromium's player gives up on a live playlist
  // of one fragment (the first seconds of a stream), so until then it asks again every 2 s.
  function load() {
    if (retry) { clearTimeout(retry); retry = null; }
    show("loading");
    var request = new XMLHttpRequest();
    request.open("GET", playlist + "?t=" + Date.now());
    request.onloadend = function () {
      if (stream !== "live") return;
      var fragments = request.status === 200 ? request.responseText.split(".ts").length - 1 : 0;
      if (fragments < 3) { retry = setTimeout(load, 2000); return; }
      // A fresh URL each time, so that a stale playlist is never reused after the stream restarts.
      video.src = playlist + "?t=" + Date.now();
      video.load();
      var started = video.play();
      if (started && started.catch) started.catch(function () {});
    };
    request.send();
  }

  function stop() {
    if (retry) { clearTimeout(retry); retry = null; }
    video.pause();
    video.removeAttribute("src");
    video.load();
    show("stopped");
  }

  if (!video.canPlayType("application/vnd.apple.mpegurl")) {
    show("unsupported");
    return;
  }
  video.addEventListener("loadstart", function () { show("loading"); });
  video.addEventListener("waiting", function () { show("loading"); });
  video.addEventListener("playing", function () { show("playing"); });
  // The clock moving is playing too: after a short stall at the live edge no "playing" may follow.
  video.addEventListener("timeupdate", function () {
    if (!video.paused && video.readyState >= 3) show("playing");
  });
  video.addEventListener("ended", function () { show("stopped"); });
  video.addEventListener("error", function () {
    if (!video.getAttribute("src")) return;
    show("error");
    // Right after the stream starts the playlist may not exist yet: try again while it is live.
    if (stream === "live" && !retry) retry = setTimeout(load, 3000);
  });

  function follow() {
    var request = new XMLHttpRequest();
    request.open("GET", stateURL);
    request.onload = function () {
      if (request.status !== 200) return;
      var answer;
      try { answer = JSON.parse(request.responseText); } catch (e) { return; }
      if (badge) { badge.textContent = answer.label; badge.setAttribute("data-state", answer.state); }
      if (fact) fact.textContent = answer.label;
      var before = stream;
      stream = answer.state;
      if (stream === "live" && before !== "live") load();
      // The player is some seconds behind the camera: let it play out what it has before stopping.
      if (stream !== "live" && before === "live") setTimeout(stop, 10000);
    };
    request.send();
  }

  // After the page's load event: a live video started earlier would hold that event back.
  function start() {
    if (stream === "live") load(); else show(stream === "waiting" ? "idle" : "stopped");
    setInterval(follow, 4000);
  }
  if (document.readyState === "complete") start(); else window.addEventListener("load", start);
})();
