/*
 * The member chat page. Talks only to this site's /chat (a proxy to the assistant)
 * and /api/adviceline. Every message is put on the page as text (textContent and
 * text nodes, never innerHTML); links in the assistant's answers are built as <a>
 * elements from matched text. The conversation lives in sessionStorage, so it
 * survives a reload but not the closing of the tab.
 */
(function () {
  "use strict";

  var STORE_KEY = "neu-chat-v1";
  var LEAVE_TO = "https://www.bbc.co.uk/weather";
  var REQUEST_TIMEOUT_MS = 45000;
  var UNAVAILABLE =
    "Sorry, the assistant isn't available right now. You can still get help from the NEU AdviceLine " +
    "on 0345 811 8111 (Monday to Friday, 9am to 7pm) or by email at adviceline@neu.org.uk.";
  // http(s) links | email addresses | bare neu.org.uk addresses | UK helpline numbers | this site's privacy page
  var LINKS = /(https?:\/\/[^\s<>"']+)|([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})|((?:www\.)?neu\.org\.uk(?:\/[^\s<>"']*)?)|(\b(?:0\d{3} \d{3} \d{4}|0\d{4} \d{3} \d{3}|116 123|999)\b)|((?<![\w\/.])\/privacy\b)/g;
  var TRAILING = /[.,;:!?)\]'"]+$/;

  var log = document.getElementById("log");
  var replies = document.getElementById("replies");
  var statusLine = document.getElementById("status");
  var form = document.getElementById("composer");
  var input = document.getElementById("message");
  var sendButton = document.getElementById("send");
  var busy = false;
  var state = load();

  // --- storage ---------------------------------------------------------------

  function newSender() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function load() {
    try {
      var saved = JSON.parse(window.sessionStorage.getItem(STORE_KEY) || "null");
      if (saved && typeof saved.sender === "string" && Array.isArray(saved.messages)) {
        return saved;
      }
    } catch (e) { /* storage blocked or corrupt: start afresh */ }
    return { sender: newSender(), messages: [] };
  }

  function save() {
    try {
      window.sessionStorage.setItem(STORE_KEY, JSON.stringify(state));
    } catch (e) { /* private mode with storage off: the chat still works, without reload memory */ }
  }

  // --- rendering (text only) ---------------------------------------------------

  function hrefFor(match, kind) {
    if (kind === 1) return /^https?:\/\//i.test(match) ? match : null;
    if (kind === 2) return "mailto:" + match;
    if (kind === 3) return "https://" + match;
    if (kind === 4) return "tel:" + match.replace(/\s+/g, "");
    if (kind === 5) return "/privacy";
    return null;
  }

  /* Text with its links as <a> elements; everything else stays a text node. */
  function linkify(text) {
    var fragment = document.createDocumentFragment();
    var last = 0;
    var found;
    LINKS.lastIndex = 0;
    while ((found = LINKS.exec(text)) !== null) {
      var kind = found[1] ? 1 : found[2] ? 2 : found[3] ? 3 : found[4] ? 4 : 5;
      var matched = found[0];
      var trail = kind === 4 ? "" : (matched.match(TRAILING) || [""])[0];
      matched = matched.slice(0, matched.length - trail.length);
      var href = hrefFor(matched, kind);
      fragment.appendChild(document.createTextNode(text.slice(last, found.index)));
      if (href && matched) {
        var a = document.createElement("a");
        a.href = href;
        a.textContent = matched;
        if (kind === 1 || kind === 3 || kind === 5) {  // the privacy page opens beside the chat
          a.target = "_blank";
          a.rel = "noopener noreferrer";
        }
        fragment.appendChild(a);
      } else {
        fragment.appendChild(document.createTextNode(matched));
      }
      fragment.appendChild(document.createTextNode(trail));
      last = found.index + found[0].length;
    }
    fragment.appendChild(document.createTextNode(text.slice(last)));
    return fragment;
  }

  var SPEAKER = { member: "You said:", assistant: "Assistant said:", notice: "Notice:" };

  function messageElement(message) {
    var item = document.createElement("div");
    item.className = "msg msg-" + message.from;
    var who = document.createElement("span");
    who.className = "visually-hidden";
    who.textContent = SPEAKER[message.from] + " ";
    var body = document.createElement("p");
    if (message.from === "member") {
      body.textContent = message.text;
    } else {
      body.appendChild(linkify(message.text));
    }
    item.appendChild(who);
    item.appendChild(body);
    if (message.report) item.appendChild(reportActions(message.report));
    return item;
  }

  /* A check-up report: Markdown download, or a printable page built from escaped text. */
  function reportActions(report) {
    var actions = document.createElement("div");
    actions.className = "report-actions";
    var download = document.createElement("button");
    download.type = "button";
    download.textContent = "Download as Markdown";
    download.addEventListener("click", function () {
      var link = document.createElement("a");
      link.href = URL.createObjectURL(new Blob([report.markdown], { type: "text/markdown" }));
      link.download = report.filename;
      document.body.appendChild(link);
      link.click();
      link.remove();
    });
    var printable = document.createElement("button");
    printable.type = "button";
    printable.textContent = "Printable page";
    printable.addEventListener("click", function () {
      var html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Report</title></head><body>" +
        markdownToHtml(report.markdown) + "</body></html>";
      window.open(URL.createObjectURL(new Blob([html], { type: "text/html" })), "_blank");
    });
    actions.appendChild(download);
    actions.appendChild(printable);
    return actions;
  }

  function escapeHtml(text) {
    return text.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c];
    });
  }

  /* The few Markdown shapes the reports use: headings, lists, bold, paragraphs. */
  function markdownToHtml(markdown) {
    return markdown.split("\n").map(function (line) {
      var text = escapeHtml(line).replace(/\*\*(.+?)\*\*/g, "<strong>$1</strong>");
      if (/^## /.test(line)) return "<h2>" + text.slice(3) + "</h2>";
      if (/^# /.test(line)) return "<h1>" + text.slice(2) + "</h1>";
      if (/^(- |\d+\. )/.test(line)) return "<p>" + text + "</p>";
      return line.trim() ? "<p>" + text + "</p>" : "";
    }).join("\n");
  }

  function showReplies(buttons) {
    replies.replaceChildren();
    (buttons || []).forEach(function (button) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = button.title;
      b.addEventListener("click", function () {
        send(button.payload, button.title);
      });
      replies.appendChild(b);
    });
    replies.hidden = replies.childElementCount === 0;
  }

  function lastButtons() {
    var last = state.messages[state.messages.length - 1];
    return last && last.from === "assistant" ? last.buttons : [];
  }

  function add(message) {
    state.messages.push(message);
    save();
    log.appendChild(messageElement(message));
  }

  function renderAll() {
    log.setAttribute("aria-busy", "true");
    log.replaceChildren();
    state.messages.forEach(function (m) { log.appendChild(messageElement(m)); });
    log.setAttribute("aria-busy", "false");
    showReplies(lastButtons());
  }

  function setBusy(on) {
    busy = on;
    sendButton.disabled = on;
    statusLine.textContent = on ? "The assistant is replying…" : "";
  }

  // --- talking to the assistant -----------------------------------------------

  function post(message) {
    var controller = new AbortController();
    var timer = window.setTimeout(function () { controller.abort(); }, REQUEST_TIMEOUT_MS);
    return fetch("/chat", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender: state.sender, message: message }),
      credentials: "same-origin",
      signal: controller.signal
    }).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (data) {
        if (!response.ok || !data || !Array.isArray(data.messages)) {
          throw new Error((data && data.message) || UNAVAILABLE);
        }
        return data.messages;
      });
    }).finally(function () { window.clearTimeout(timer); });
  }

  /* Send `message`; show `shownAs` as the member's words (null: send silently). */
  function send(message, shownAs) {
    if (busy) return Promise.resolve();
    var focusInput = !input.matches(":focus") && document.activeElement && replies.contains(document.activeElement);
    setBusy(true);
    showReplies([]);
    if (shownAs !== null) add({ from: "member", text: shownAs });
    if (focusInput) input.focus();
    var before = log.childElementCount;
    return post(message).then(function (messages) {
      messages.forEach(function (m) {
        var report = m.report && typeof m.report.markdown === "string" ? m.report : null;
        var text = report ? "Your report is ready: download it, or open a printable page (to print or save as PDF)." : String(m.text || "");
        add({ from: "assistant", text: text, buttons: m.buttons || [], report: report });
      });
    }).catch(function (error) {
      var text = error && error.name !== "AbortError" && error.message && error.message !== "Failed to fetch"
        ? error.message : UNAVAILABLE;
      add({ from: "notice", text: text });
    }).then(function () {
      setBusy(false);
      showReplies(lastButtons());
      if (shownAs !== null) reveal(log.children[before]);  // the greeting leaves the page at its top
    });
  }

  /* Show the reply: from its start if it is long, otherwise down to the reply buttons. */
  function reveal(firstNew) {
    if (!firstNew) return;
    var end = replies.hidden ? log.lastElementChild : replies;
    var room = window.innerHeight - form.offsetHeight;
    var tall = end.getBoundingClientRect().bottom - firstNew.getBoundingClientRect().top > room;
    (tall ? firstNew : end).scrollIntoView({ block: tall ? "start" : "nearest" });
  }

  // --- the AdviceLine line at the top -----------------------------------------

  function showAdviceLine() {
    fetch("/api/adviceline", { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (info) {
        if (!info) return;
        var status = document.getElementById("adviceline-status");
        status.textContent = String(info.text || "");
        status.className = info.open ? "adviceline-open" : "adviceline-closed";
      })
      .catch(function () { /* the static number and hours stay */ });
  }

  // --- controls ----------------------------------------------------------------

  function leave() {
    try {
      window.sessionStorage.clear();
    } catch (e) { /* nothing to clear */ }
    window.location.replace(LEAVE_TO);
  }

  function restart() {
    state = { sender: newSender(), messages: [] };
    save();
    renderAll();
    input.focus();
    send("/greet", null);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text || busy) return;
    input.value = "";
    send(text, text);
  });
  document.getElementById("leave").addEventListener("click", leave);
  document.getElementById("restart").addEventListener("click", restart);

  renderAll();
  showAdviceLine();
  if (state.messages.length === 0) {
    send("/greet", null);
  }
})();
