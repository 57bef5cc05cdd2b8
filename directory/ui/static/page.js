// Runs in the Streamlit page (loaded by directory/ui/chrome.py through a same-origin frame):
// declares the page's language, and puts Streamlit's own interface texts (which it only
// writes in English) into the visitor's language, now and whenever Streamlit redraws.
(function (page, settings) {
  "use strict";
  page.documentElement.lang = settings.language;
  // This script's own frame shows nothing: out of the tab order and of what screen readers list.
  if (window.frameElement) {
    window.frameElement.setAttribute("aria-hidden", "true");
    window.frameElement.setAttribute("tabindex", "-1");
  }
  var state = page.defaultView.__vitrineText || (page.defaultView.__vitrineText = {});
  state.exact = settings.exact;
  state.patterns = settings.patterns.map(function (p) { return [new RegExp(p[0]), p[1]]; });
  function translated(text) {
    var trimmed = text.trim();
    if (!trimmed) { return null; }
    if (Object.prototype.hasOwnProperty.call(state.exact, trimmed)) { return text.replace(trimmed, state.exact[trimmed]); }
    for (var i = 0; i < state.patterns.length; i++) {
      if (state.patterns[i][0].test(trimmed)) { return trimmed.replace(state.patterns[i][0], state.patterns[i][1]); }
    }
    return null;
  }
  var ATTRIBUTES = ["aria-label", "title", "placeholder"];
  // Text the app wrote (markdown, HTML, code, button labels) is left alone: a partner may be
  // called "Open". The file uploader's own texts are markdown too.
  function framework(element) {
    if (!element || element.closest("[data-testid='stHtml'], code, pre")) { return false; }
    return !element.closest("[data-testid='stMarkdownContainer']") || !!element.closest("[data-testid='stFileUploader']");
  }
  function visit(root) {
    var walker = page.createTreeWalker(root, 4 /* text */);
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!framework(node.parentElement)) { continue; }
      var text = translated(node.nodeValue);
      if (text !== null && text !== node.nodeValue) { node.nodeValue = text; }
    }
    var elements = root.querySelectorAll ? root.querySelectorAll("[aria-label], [title], [placeholder]") : [];
    for (var j = 0; j < elements.length; j++) {
      for (var k = 0; k < ATTRIBUTES.length; k++) {
        var value = elements[j].getAttribute(ATTRIBUTES[k]);
        var changed = value && translated(value);
        if (changed && changed !== value) { elements[j].setAttribute(ATTRIBUTES[k], changed); }
      }
    }
  }
  // Form errors: each faulty field says so (aria-invalid) and names its message; the summary's
  // links read "label: message" and move the focus to the field.
  function fieldOf(error) {
    var holder = error.closest("[data-testid='stElementContainer']");
    var widget = holder && holder.previousElementSibling;
    return widget && widget.querySelector("input:not([type=hidden]), textarea, [role=combobox]");
  }
  function markInvalid(root) {
    if (!root.querySelectorAll) { return; }
    var errors = root.querySelectorAll(".vitrine-field-error[id]");
    for (var i = 0; i < errors.length; i++) {
      var field = fieldOf(errors[i]);
      if (field && field.getAttribute("aria-invalid") !== "true") {
        field.setAttribute("aria-invalid", "true");
        field.setAttribute("aria-describedby", errors[i].id);
      }
    }
    var links = page.querySelectorAll(".vitrine-error-summary a[href^='#']:not([data-ready])");
    for (var j = 0; j < links.length; j++) {
      var link = links[j], error = page.getElementById(link.getAttribute("href").slice(1));
      var target = error && fieldOf(error);
      if (!target) { continue; }
      link.setAttribute("data-ready", "1");
      // The label the widget shows (a file field's input is only labelled "Choisir un fichier").
      var container = target.closest("[data-testid='stElementContainer']");
      var shown = container && container.querySelector("[data-testid='stWidgetLabel']");
      var label = (shown && shown.innerText.trim()) || target.getAttribute("aria-label")
        || (target.labels && target.labels[0] && target.labels[0].innerText);
      var colon = settings.language === "fr" ? " : " : ": ";  // French spaces its colons, English does not
      if (label) { link.textContent = label.replace(/\s*\*$/, "") + colon + link.textContent; }
      link.addEventListener("click", (function (field) {
        return function (event) { event.preventDefault(); field.scrollIntoView({block: "center"}); field.focus(); };
      })(target));
    }
  }
  // After a refused submit, the focus goes to the errors' summary, scrolled into view (once per
  // attempt: a later rerun, a field typed in, leaves the focus where the visitor put it).
  function focusSummary() {
    var summary = page.querySelector(".vitrine-error-summary[data-attempt]");
    var attempt = summary && summary.getAttribute("data-attempt");
    if (!attempt || state.focusedAttempt === attempt) { return; }
    state.focusedAttempt = attempt;
    summary.scrollIntoView({block: "start"});
    summary.focus({preventScroll: true});
  }
  // On a phone the card stacks under the map: a partner chosen there is scrolled into view, where
  // the thumb that tapped the marker is.
  function showNewCard() {
    var title = page.getElementById("card-title");
    var shown = title ? title.textContent : "";
    if (shown === state.cardShown) { return; }
    state.cardShown = shown;
    if (title && page.defaultView.innerWidth < 640) {
      (title.closest("article") || title).scrollIntoView({block: "start", behavior: "smooth"});
    }
  }
  state.markInvalid = function (root) { markInvalid(root); focusSummary(); showNewCard(); };
  if (!state.observer) {
    state.observer = new MutationObserver(function (mutations) {
      for (var i = 0; i < mutations.length; i++) {
        var m = mutations[i];
        if (m.type === "characterData") { visit(m.target.parentNode || m.target); }
        else if (m.type === "attributes") { visit(m.target.parentNode || m.target); }
        else { for (var n = 0; n < m.addedNodes.length; n++) { visit(m.addedNodes[n].nodeType === 1 ? m.addedNodes[n] : m.target); } }
      }
      state.markInvalid(page.body);
    });
    state.observer.observe(page.body, {childList: true, subtree: true, characterData: true,
                                       attributes: true, attributeFilter: ATTRIBUTES});
  }
  visit(page.body);
  state.markInvalid(page.body);
})(parent.document, JSON.parse(document.getElementById("settings").textContent));
