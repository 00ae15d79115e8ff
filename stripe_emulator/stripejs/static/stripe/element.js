/*
 * Link Lab Stripe.js stand-in, part of stripe.js: the page side of an Element (registers `element`).
 * Each Element is an iframe on the emulator's origin (/v3/elements-inner-{type}.html); this part
 * mounts it, queues actions until the frame boots, and turns the frame's messages into events.
 * Needs `core` and `common` (see stripe/core.js for the order).
 */
(function (ns) {
  "use strict";
  if (ns.element) return;
  const { ORIGIN, BASE, IntegrationError, Emitter, clone, nextId } = ns.core;
  const { MSG } = ns.common;

  const TITLES = {
    linkAuthentication: "Secure email input frame",
    address: "Secure address input frame",
    payment: "Secure payment input frame",
  };

  // One listener routes every message from the emulator's Element frames to its Element.
  const frames = new Map(); // contentWindow -> Element
  window.addEventListener("message", (event) => {
    if (event.origin !== ORIGIN || !event.data || event.data.__stripeLinkLab !== MSG) return;
    const element = frames.get(event.source);
    if (element) element._receive(event.data);
  });

  class Element extends Emitter {
    constructor(group, type, options) {
      super();
      this._group = group;
      this._type = type;
      this._options = clone(options) || {};
      this._id = type + "-" + nextId();
      this._destroyed = false;
      this._iframe = null;
      this._container = null;
      this._booted = false;
      this._queue = [];
      this._pending = new Map();
      this._seq = 0;
      this._value = null;
    }
    get _mounted() { return Boolean(this._iframe); }
    _check(method) {
      if (this._destroyed) throw new IntegrationError("This Element has already been destroyed. Please create a new one.");
      return method;
    }
    mount(target) {
      this._check("mount");
      const node = typeof target === "string" ? document.querySelector(target) : target;
      if (!node || !(node instanceof HTMLElement)) {
        throw new IntegrationError("The selector you specified (" + target + ") applies to no DOM elements that are currently on the page.\nMake sure the element exists on the page before calling mount().");
      }
      if (this._iframe) throw new IntegrationError("This Element is already mounted. Use `unmount()` to unmount the Element before re-mounting.");
      const config = {
        id: this._id, group: this._group._id, type: this._type, key: this._group._stripe._key,
        apiVersion: this._group._stripe._apiVersion, stripeAccount: this._group._stripe._account,
        parentOrigin: location.origin, options: this._options,
      };
      Object.assign(config, this._group._frameOptions());
      const iframe = document.createElement("iframe");
      iframe.name = "__privateStripeFrame" + (1000 + nextId());
      iframe.title = TITLES[this._type];
      iframe.setAttribute("frameborder", "0");
      iframe.setAttribute("allowtransparency", "true");
      iframe.setAttribute("scrolling", "no");
      iframe.setAttribute("allow", "payment *; publickey-credentials-get *");
      iframe.style.cssText = "border:none!important;margin:0!important;padding:0!important;width:1px!important;min-width:100%!important;overflow:hidden!important;display:block!important;user-select:none!important;color-scheme:normal!important;height:" + (this._type === "payment" ? 190 : 70) + "px;";
      iframe.src = BASE + "/v3/elements-inner-" + this._type + ".html#" + encodeURIComponent(JSON.stringify(config));
      const wrapper = document.createElement("div");
      wrapper.className = "__PrivateStripeElement";
      wrapper.style.cssText = "margin:0!important;padding:0!important;border:none!important;display:block!important;background:transparent!important;position:relative!important;opacity:1!important;";
      wrapper.append(iframe);
      node.append(wrapper);
      node.classList.add("StripeElement", "StripeElement--empty");
      this._iframe = iframe;
      this._wrapper = wrapper;
      this._container = node;
      this._booted = false;
      frames.set(iframe.contentWindow, this);
      return undefined;
    }
    unmount() {
      this._check("unmount");
      if (!this._iframe) return undefined;
      frames.delete(this._iframe.contentWindow);
      this._wrapper.remove();
      this._container.classList.remove("StripeElement", "StripeElement--empty", "StripeElement--complete", "StripeElement--invalid", "StripeElement--focus");
      for (const { reject } of this._pending.values()) reject(new IntegrationError("The Element was unmounted."));
      this._pending.clear();
      this._queue = [];
      this._iframe = this._wrapper = this._container = null;
      return undefined;
    }
    destroy() {
      if (this._destroyed) return undefined;
      this.unmount();
      this._destroyed = true;
      this._group._remove(this);
      this.off();
      return undefined;
    }
    focus() { this._check(); if (this._iframe) { this._iframe.focus(); this._send("focus"); } }
    blur() { this._check(); this._send("blur"); }
    clear() { this._check(); this._send("clear"); }
    update(options) {
      this._check();
      if (!options || typeof options !== "object") throw new IntegrationError("Invalid value for update(): options should be an object.");
      if ("mode" in options && this._type === "address" && options.mode !== this._options.mode) {
        throw new IntegrationError("Invalid value for update(): mode cannot be changed after create.");
      }
      Object.assign(this._options, clone(options));
      this._send("update", clone(options));
      return undefined;
    }
    _send(action, payload) {
      this._call(action, payload).catch(() => {});
    }
    _call(action, payload) {
      return new Promise((resolve, reject) => {
        if (!this._iframe) { reject(new IntegrationError("This Element is not mounted.")); return; }
        const id = ++this._seq;
        this._pending.set(id, { resolve: resolve, reject: reject });
        const message = { __stripeLinkLab: MSG, id: id, action: action, payload: payload };
        if (this._booted) this._iframe.contentWindow.postMessage(message, ORIGIN);
        else this._queue.push(message);
      });
    }
    _receive(data) {
      if (data.boot) {
        this._booted = true;
        for (const message of this._queue) this._iframe.contentWindow.postMessage(message, ORIGIN);
        this._queue = [];
        return;
      }
      if (data.reply !== undefined) {
        const pending = this._pending.get(data.reply);
        if (pending) { this._pending.delete(data.reply); pending.resolve(data.result); }
        return;
      }
      if (data.event === "resize") {
        this._iframe.style.height = Math.max(0, Number(data.height) || 0) + "px";
        return;
      }
      const payload = data.payload || {};
      const classes = this._container.classList;
      if (data.event === "change") {
        this._value = payload;
        classes.toggle("StripeElement--empty", Boolean(payload.empty));
        classes.toggle("StripeElement--complete", Boolean(payload.complete));
        classes.remove("StripeElement--invalid");
      }
      if (data.event === "focus") classes.add("StripeElement--focus");
      if (data.event === "blur") classes.remove("StripeElement--focus");
      this._emit(data.event, payload);
    }
  }

  class AddressElement extends Element {
    getValue() {
      this._check();
      return this._call("getValue");
    }
  }

  class PaymentElement extends Element {
    collapse() {
      this._check();
      this._send("collapse");
      return this;
    }
  }

  ns.element = { Element: Element, AddressElement: AddressElement, PaymentElement: PaymentElement };
})(window.__linklabStripe = window.__linklabStripe || {});
