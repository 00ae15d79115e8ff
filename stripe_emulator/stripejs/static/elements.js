/*
 * Link Lab Stripe.js stand-in: the runtime shared by every Element iframe (emulator origin).
 * Plain ES2020, no build step. /v3/elements-inner-{type}.html loads common.js, this file, then the
 * element's own scripts; each registers on `window.__linklabStripe` (common.js explains how). This
 * file registers `frame` (the helpers below, read by the element scripts as `LL`); the element's
 * script ends with `ns.frame.define(element)`.
 *
 * - Talks to the merchant page (stripe.js) by postMessage, only with the parent window and
 *   only with the page origin it was created for: it receives actions (update, focus, blur, clear,
 *   validate, confirm, getValue, collapse, groupUpdate) and sends events (ready, change, focus,
 *   blur, escape, loaderror, loaderstart) and the iframe height.
 * - Talks to the other Elements of the same `elements()` group by a BroadcastChannel on its own
 *   origin, so Link session secrets and card data never pass through the merchant page.
 * - Calls the emulator's API on its own origin with the publishable key as the `key` form field.
 * - Applies the Appearance API (theme, variables, rules) and the loader skeleton.
 */
(function (ns) {
  "use strict";
  if (ns.frame) return;
  const { MSG, request } = ns.common;

  const config = JSON.parse(decodeURIComponent(location.hash.slice(1) || "{}"));
  const LL = (ns.frame = { config: config, options: config.options || {} });
  const elementType = document.body.dataset.elementType;
  let element = null;
  let readyResolve;
  const whenReady = new Promise((resolve) => { readyResolve = resolve; });

  // ---- DOM helpers ----
  LL.el = function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (name === "class") node.className = value;
      else if (name === "text") node.textContent = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child !== null && child !== undefined && child !== false) {
        node.append(child instanceof Node ? child : document.createTextNode(String(child)));
      }
    }
    return node;
  };
  const el = LL.el;

  /** A labelled input (or select) with its error line; every control has a label and a role. */
  LL.field = function field(spec) {
    const input = spec.options
      ? el("select", { class: "Input p-Select", id: spec.id, name: spec.name, autocomplete: spec.autocomplete })
      : el("input", {
          class: "Input", id: spec.id, name: spec.name, type: spec.type || "text",
          placeholder: spec.placeholder, autocomplete: spec.autocomplete || "off",
          inputmode: spec.inputmode, maxlength: spec.maxLength, spellcheck: "false",
        });
    if (spec.options) LL.setOptions(input, spec.options);
    const error = el("div", { class: "Error", id: spec.id + "-error", role: "alert" });
    input.setAttribute("aria-invalid", "false");
    input.setAttribute("aria-describedby", error.id);
    if (spec.required !== false) input.setAttribute("aria-required", "true");
    const label = el("label", { class: "Label", for: spec.id, id: spec.id + "-label" }, spec.label);
    const wrap = el("div", { class: "p-Field " + (spec.className || "") }, label, input, error);
    return { wrap: wrap, input: input, error: error, label: label, name: spec.name };
  };

  /** Put the field's input in a positioned wrapper with adornments (brand, Link badge). */
  LL.adorn = function adorn(f, ...adornments) {
    const wrap = el("div", { class: "p-Input-wrap" });
    f.input.replaceWith(wrap);
    wrap.append(f.input, ...adornments);
  };

  LL.setOptions = function setOptions(select, options) {
    const current = select.value;
    select.replaceChildren(...options.map(([value, text]) => el("option", { value: value }, text)));
    if (options.some(([value]) => value === current)) select.value = current;
  };

  LL.setInvalid = function setInvalid(f, message) {
    f.input.classList.toggle("Input--invalid", Boolean(message));
    f.label.classList.toggle("Label--invalid", Boolean(message));
    f.input.setAttribute("aria-invalid", message ? "true" : "false");
    f.error.textContent = message || "";
  };

  LL.show = function show(node, visible) {
    node.hidden = !visible;
  };

  // ---- messaging with the merchant page ----
  function post(message) {
    parent.postMessage(Object.assign({ __stripeLinkLab: MSG, elementId: config.id }, message), config.parentOrigin);
  }
  LL.emit = function emit(event, payload) {
    post({ event: event, payload: Object.assign({ elementType: elementType }, payload || {}) });
  };

  window.addEventListener("message", async (event) => {
    if (event.source !== parent || event.origin !== config.parentOrigin) return;
    const data = event.data;
    if (!data || data.__stripeLinkLab !== MSG || !data.action) return;
    const loaded = await whenReady;
    let result;
    try {
      if (data.action === "groupUpdate") {
        applyGroupOptions(data.payload || {});
      } else if (!loaded) {
        result = { error: loadError || { type: "api_error", message: "This Element failed to load." } };
      } else if (data.action === "update") {
        LL.options = Object.assign({}, LL.options, data.payload || {});
        if (element.update) element.update(data.payload || {});
      } else if (typeof element[data.action] === "function") {
        result = await element[data.action](data.payload || {});
      }
    } catch (err) {
      console.error(err);
      result = { error: { type: "api_error", message: "An unexpected error occurred in the Element." } };
    }
    if (data.id !== undefined) post({ reply: data.id, result: result === undefined ? null : result });
  });

  // ---- the group's other Elements (same origin): BroadcastChannel ----
  const channel = "BroadcastChannel" in window ? new BroadcastChannel("linklab-stripe:" + config.group) : null;
  const peers = [];
  LL.broadcast = function broadcast(kind, data) {
    if (channel) channel.postMessage({ kind: kind, from: elementType, id: config.id, data: data || {} });
  };
  LL.onBroadcast = function onBroadcast(fn) {
    peers.push(fn);
  };
  if (channel) {
    channel.onmessage = (event) => {
      const message = event.data;
      if (!message || message.id === config.id) return;
      whenReady.then(() => peers.forEach((fn) => fn(message)));
    };
  }

  // ---- API calls (same origin as this frame: the emulator, under a proxy's path if any) ----
  const BASE = location.origin + location.pathname.replace(/\/v3\/[^/]*$/, "");
  LL.api = function api(method, path, params) {
    return request(BASE, config, method, path, params);
  };

  // ---- Appearance API ----
  const THEMES = {
    stripe: {
      colorPrimary: "#0570de", colorBackground: "#ffffff", colorText: "#30313d", colorDanger: "#df1b41",
      colorSuccess: "#30b130", colorWarning: "#f6e6b9", colorTextSecondary: "#6d6e78",
      colorTextPlaceholder: "#87888f", colorBorder: "#e6e6e6",
      colorIcon: "#30313d", fontFamily: "-apple-system, BlinkMacSystemFont, \"Segoe UI\", Roboto, Helvetica, Arial, sans-serif",
      fontSizeBase: "16px", fontWeightNormal: "400", fontWeightMedium: "500", fontWeightBold: "600",
      fontLineHeight: "1.15", spacingUnit: "4px", borderRadius: "5px", gridRowSpacing: "12px",
      gridColumnSpacing: "12px", focusBoxShadow: "0 0 0 3px rgba(5, 115, 225, 0.25)",
      inputShadow: "0px 1px 1px rgba(0, 0, 0, 0.03), 0px 3px 6px rgba(0, 0, 0, 0.02)",
    },
    night: {
      colorPrimary: "#0570de", colorBackground: "#30313d", colorText: "#ffffff", colorDanger: "#fe87a1",
      colorTextSecondary: "#a9a9b2", colorTextPlaceholder: "#8c8c96", colorBorder: "#424353",
      colorIcon: "#ffffff", focusBoxShadow: "0 0 0 3px rgba(5, 115, 225, 0.5)",
    },
    flat: {
      colorBorder: "transparent", borderRadius: "4px",
      inputShadow: "none", focusBoxShadow: "0 0 0 2px #0570de",
    },
  };
  const CSS_VALUE = /^[^;{}<>\\]*$/;
  const VARIABLE = /^[a-zA-Z][a-zA-Z0-9]*$/;
  const SELECTOR = /^\s*\.[A-Z][A-Za-z]*(--[a-z][A-Za-z0-9-]*)*(::?[a-z-]+(\([^)]*\))?)*\s*$/;

  function applyAppearance(appearance) {
    const a = appearance || {};
    const theme = THEMES[a.theme] ? a.theme : "stripe";
    const root = document.documentElement;
    const variables = Object.assign({}, THEMES.stripe, theme === "stripe" ? {} : THEMES[theme], a.variables || {});
    for (const [name, value] of Object.entries(variables)) {
      if (VARIABLE.test(name) && CSS_VALUE.test(String(value))) root.style.setProperty("--" + name, String(value));
    }
    root.dataset.theme = theme;
    root.dataset.labels = a.labels === "floating" ? "floating" : "above";
    root.dataset.inputs = a.inputs === "condensed" ? "condensed" : "spaced";
    root.classList.toggle("no-animations", Boolean(a.disableAnimations));
    let css = "";
    for (const [selectors, declarations] of Object.entries(a.rules || {})) {
      const list = selectors.split(",");
      if (!list.every((s) => SELECTOR.test(s)) || !declarations || typeof declarations !== "object") continue;
      const body = Object.entries(declarations)
        .filter(([prop, value]) => /^[a-zA-Z-]+$/.test(prop) && CSS_VALUE.test(String(value)))
        .map(([prop, value]) => prop.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase()) + ": " + value + " !important;")
        .join(" ");
      css += list.map((s) => s.trim()).join(", ") + " { " + body + " }\n";
    }
    document.getElementById("appearance-rules").textContent = css;
  }

  function applyFonts(fonts) {
    document.querySelectorAll("[data-font]").forEach((node) => node.remove());
    for (const font of fonts || []) {
      if (font && font.cssSrc && /^https?:\/\//.test(font.cssSrc)) {
        document.head.append(el("link", { rel: "stylesheet", href: font.cssSrc, "data-font": "1" }));
      } else if (font && font.family && font.src && CSS_VALUE.test(font.family + font.src)) {
        const rule = "@font-face { font-family: " + JSON.stringify(font.family) + "; src: " + font.src +
          "; font-weight: " + (font.weight || "normal") + "; font-style: " + (font.style || "normal") +
          "; font-display: " + (font.display || "auto") + "; }";
        document.head.append(el("style", { "data-font": "1" }, rule));
      }
    }
  }

  function applyGroupOptions(options) {
    Object.assign(config, options);
    if ("appearance" in options) applyAppearance(options.appearance);
    if ("fonts" in options) applyFonts(options.fonts);
    if (element && element.groupUpdate) element.groupUpdate(options);
  }

  // ---- focus, blur, escape, size ----
  let focused = false;
  document.addEventListener("focusin", () => {
    if (!focused) { focused = true; LL.emit("focus"); }
  });
  document.addEventListener("focusout", () => {
    setTimeout(() => {
      const active = document.activeElement;
      const inside = active && active !== document.body && document.hasFocus();
      if (focused && !inside) { focused = false; LL.emit("blur"); }
    }, 0);
  });
  window.addEventListener("blur", () => {
    if (focused) { focused = false; LL.emit("blur"); }
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") LL.emit("escape");
  });

  let lastHeight = -1;
  function reportHeight() {
    const height = Math.ceil(document.body.getBoundingClientRect().height);
    if (height !== lastHeight) { lastHeight = height; post({ event: "resize", height: height }); }
  }
  new ResizeObserver(reportHeight).observe(document.body);

  LL.focusFirst = function focusFirst(selector) {
    const target = document.querySelector(selector || "input:not([type=hidden]):not([disabled]), select, button");
    if (target) target.focus();
  };

  // ---- boot: appearance, loader skeleton, then the element itself ----
  let loadError = null;
  LL.define = function define(definition) {
    element = definition;
    const root = document.getElementById("root");
    applyAppearance(config.appearance);
    applyFonts(config.fonts);
    const showLoader = config.loader !== "never";
    if (showLoader) {
      root.replaceChildren(el("div", { class: "p-Loader", "aria-label": "Loading", role: "progressbar" },
        el("div", { class: "p-Loader-bar p-Loader-bar--label" }), el("div", { class: "p-Loader-bar" }),
        elementType === "linkAuthentication" ? null : el("div", { class: "p-Loader-bar" })));
      LL.emit("loaderstart");
    }
    post({ boot: true });
    Promise.resolve()
      .then(() => (element.load ? element.load() : null))
      .then((failure) => {
        if (failure && failure.error) {
          loadError = failure.error;
          root.replaceChildren(el("div", { class: "Error p-LoadError", role: "alert" }, failure.error.message || "Failed to load."));
          root.setAttribute("aria-busy", "false");
          LL.emit("loaderror", { error: failure.error });
          readyResolve(false);
          return;
        }
        root.replaceChildren();
        element.render(root);
        root.setAttribute("aria-busy", "false");
        readyResolve(true);
        LL.emit("ready");
        if (element.afterReady) element.afterReady();
      })
      .catch((err) => {
        console.error(err);
        loadError = { type: "api_error", message: "This Element failed to load." };
        LL.emit("loaderror", { error: loadError });
        readyResolve(false);
      });
  };

  /** Emit `change` only when the payload differs from the last one; `initial` only records it. */
  let lastChange = null;
  LL.change = function change(payload, initial) {
    const serialized = JSON.stringify(payload);
    if (serialized === lastChange) return;
    lastChange = serialized;
    if (!initial) LL.emit("change", payload);
  };
})(window.__linklabStripe = window.__linklabStripe || {});
