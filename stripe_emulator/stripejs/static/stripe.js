/*
 * Link Lab: an offline stand-in for Stripe.js (https://js.stripe.com/v3/, /endive/stripe.js), served
 * by the Stripe emulator. Plain ES2020, no build step. Each Element renders in an iframe on the
 * emulator's origin and talks to this page by postMessage, so card numbers and one-time codes never
 * enter the merchant page.
 *
 * Supported surface (anything else is absent or throws an IntegrationError):
 *   Stripe(publishableKey, {apiVersion, stripeAccount, locale, betas})     Stripe.version
 *   stripe.elements({clientSecret | mode+currency+paymentMethodTypes, appearance{theme, variables,
 *       rules, labels, inputs, disableAnimations}, loader, fonts, locale})
 *   elements.create('linkAuthentication' | 'address' | 'payment', options)
 *       linkAuthentication: defaultValues.email
 *       address: mode, allowedCountries, defaultValues, fields.phone, display.name, validation.phone
 *       payment: defaultValues.billingDetails, layout ('tabs' | 'accordion' | {type, defaultCollapsed}),
 *                fields.billingDetails ('never' or {address: 'never'}), wallets.link
 *   elements.getElement(type | {__elementType}), elements.update(options), elements.fetchUpdates(),
 *   elements.submit(), elements.on/off('update-end')
 *   element.mount(selector | HTMLElement), unmount(), destroy(), focus(), blur(), clear(), update(),
 *   element.on/once/off(event, handler) (off by handler identity), address.getValue(), payment.collapse()
 *   events: ready, change, focus, blur, escape, loaderror, loaderstart
 *   stripe.confirmSetup / stripe.confirmPayment({elements?, clientSecret?, confirmParams?, redirect?})
 *       redirect: 'always' (default: navigate to return_url) | 'if_required' (resolve {setupIntent})
 *   stripe.retrieveSetupIntent(clientSecret), stripe.retrievePaymentIntent(clientSecret)
 *   stripe.handleNextAction({clientSecret}), stripe.registerAppInfo(info), stripe._registerWrapper(w)
 *   stripe.createToken, createPaymentMethod, confirmCardPayment, confirmCardSetup: present because
 *       @stripe/react-stripe-js checks for them; they need a Card Element, which this stand-in does not
 *       offer, so they throw an IntegrationError saying so.
 * 3-D Secure opens the emulator's mock authentication page in an in-page modal (next_action
 * use_stripe_sdk, or redirect_to_url with redirect: 'if_required'); redirect_to_url with
 * redirect: 'always' navigates the whole page there instead.
 */
(function () {
  "use strict";
  if (window.Stripe && window.Stripe.__linkLab) return;

  const script = document.currentScript || document.querySelector('script[src*="/v3"], script[src*="/stripe.js"]');
  const SCRIPT_URL = new URL(script ? script.src : location.href, location.href);
  const ORIGIN = SCRIPT_URL.origin;
  const VERSION = /^\/v3\/?$/.test(SCRIPT_URL.pathname) ? 3 : SCRIPT_URL.pathname.split("/")[1] || 3;
  const TYPES = ["linkAuthentication", "address", "payment"];
  const MSG = 1;
  const SECRET = /^((seti|pi)_[A-Za-z0-9]+)_secret_[A-Za-z0-9]+$/;
  const AUTH_FAILED = "We are unable to authenticate your payment method. Please choose a different payment method and try again.";

  class IntegrationError extends Error {
    constructor(message) {
      super(message);
      this.name = "IntegrationError";
    }
  }

  let counter = 0;
  const uid = () => (crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2) + Date.now());
  const clone = (value) => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));
  const never = () => new Promise(() => {});

  function parseSecret(clientSecret, method) {
    const match = SECRET.exec(typeof clientSecret === "string" ? clientSecret : "");
    if (!match) {
      throw new IntegrationError("Invalid value for " + method + ": clientSecret should be a client secret of the form ${id}_secret_${secret}. You specified: " + clientSecret + ".");
    }
    return { id: match[1], kind: match[2] === "seti" ? "setup" : "payment" };
  }

  function encode(params) {
    const parts = [];
    (function walk(value, prefix) {
      if (value === undefined || value === null) return;
      if (Array.isArray(value)) value.forEach((v, i) => walk(v, prefix + "[" + i + "]"));
      else if (typeof value === "object") Object.keys(value).forEach((k) => walk(value[k], prefix ? prefix + "[" + k + "]" : k));
      else parts.push(encodeURIComponent(prefix) + "=" + encodeURIComponent(String(value)));
    })(params, "");
    return parts.join("&");
  }

  // ---- one listener routes every message from the emulator's frames ----
  const frames = new Map(); // contentWindow -> Element
  const modals = new Map(); // 3DS id -> resolve
  window.addEventListener("message", (event) => {
    if (event.origin !== ORIGIN || !event.data || event.data.__stripeLinkLab !== MSG) return;
    const data = event.data;
    if (data.threeDS && modals.has(data.threeDS)) { modals.get(data.threeDS)(data.outcome); return; }
    const element = frames.get(event.source);
    if (element) element._receive(data);
  });

  class Emitter {
    constructor() { this._handlers = new Map(); }
    on(event, handler) {
      if (typeof handler !== "function") throw new IntegrationError("Invalid value for on(): handler should be a function. You specified: " + typeof handler + ".");
      if (!this._handlers.has(event)) this._handlers.set(event, []);
      this._handlers.get(event).push({ handler: handler, once: false });
      return this;
    }
    once(event, handler) {
      this.on(event, handler);
      const list = this._handlers.get(event);
      list[list.length - 1].once = true;
      return this;
    }
    off(event, handler) {
      if (event === undefined) this._handlers.clear();
      else if (handler === undefined) this._handlers.delete(event);
      else if (this._handlers.has(event)) {
        const list = this._handlers.get(event);
        const at = list.findIndex((entry) => entry.handler === handler);
        if (at >= 0) list.splice(at, 1);
      }
      return this;
    }
    _emit(event, payload) {
      const list = (this._handlers.get(event) || []).slice();
      this._handlers.set(event, (this._handlers.get(event) || []).filter((entry) => !entry.once));
      for (const entry of list) {
        try { entry.handler(payload); } catch (err) { setTimeout(() => { throw err; }); }
      }
    }
  }

  // ---- Element (page side) ----
  const TITLES = {
    linkAuthentication: "Secure email input frame",
    address: "Secure address input frame",
    payment: "Secure payment input frame",
  };

  class Element extends Emitter {
    constructor(group, type, options) {
      super();
      this._group = group;
      this._type = type;
      this._options = clone(options) || {};
      this._id = type + "-" + ++counter;
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
      iframe.name = "__privateStripeFrame" + (1000 + ++counter);
      iframe.title = TITLES[this._type];
      iframe.setAttribute("frameborder", "0");
      iframe.setAttribute("allowtransparency", "true");
      iframe.setAttribute("scrolling", "no");
      iframe.setAttribute("allow", "payment *; publickey-credentials-get *");
      iframe.style.cssText = "border:none!important;margin:0!important;padding:0!important;width:1px!important;min-width:100%!important;overflow:hidden!important;display:block!important;user-select:none!important;color-scheme:normal!important;height:" + (this._type === "payment" ? 190 : 70) + "px;";
      iframe.src = ORIGIN + "/v3/elements-inner-" + this._type + ".html#" + encodeURIComponent(JSON.stringify(config));
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

  // ---- Elements group ----
  const GROUP_KEYS = ["appearance", "loader", "fonts", "locale", "clientSecret", "mode", "currency", "amount",
    "setupFutureUsage", "captureMethod", "paymentMethodTypes", "paymentMethodCreation", "customerOptions",
    "customerSessionClientSecret", "syncAddressCheckbox", "onBehalfOf", "paymentMethodConfiguration"];

  class Elements extends Emitter {
    constructor(stripe, options) {
      super();
      options = options || {};
      for (const key of Object.keys(options)) {
        if (!GROUP_KEYS.includes(key)) console.warn("[Link Lab Stripe.js] Unrecognized elements() parameter: " + key + " is not a recognized parameter. This may cause issues with your integration in the future.");
      }
      if (options.clientSecret !== undefined) parseSecret(options.clientSecret, "elements()");
      if (options.clientSecret && options.mode) throw new IntegrationError("Invalid value for elements(): clientSecret and mode are mutually exclusive.");
      if (options.loader !== undefined && !["auto", "always", "never"].includes(options.loader)) {
        throw new IntegrationError("Invalid value for elements(): loader should be one of the following strings: auto, always, never. You specified: " + options.loader + ".");
      }
      this._stripe = stripe;
      this._options = clone(options);
      this._id = uid();
      this._elements = [];
    }
    _frameOptions() {
      const o = this._options;
      return {
        clientSecret: o.clientSecret, appearance: o.appearance || {}, loader: o.loader || "auto", fonts: o.fonts || [],
        locale: o.locale || this._stripe._locale || "auto", paymentMethodTypes: o.paymentMethodTypes,
      };
    }
    create(type, options) {
      if (!TYPES.includes(type)) {
        throw new IntegrationError("A valid Element name must be provided. Valid Elements are: linkAuthentication, address, payment; you passed: " + type + ".");
      }
      options = options || {};
      if (type === "address" && !["shipping", "billing"].includes(options.mode)) {
        throw new IntegrationError("Invalid value for create('address'): mode should be one of the following strings: shipping, billing. You specified: " + options.mode + ".");
      }
      const existing = this._elements.find((e) => e._type === type && (type !== "address" || e._options.mode === options.mode));
      if (existing) throw new IntegrationError("Can only create one Element of type " + type + (type === "address" ? " with mode " + options.mode : "") + ".");
      const Kind = type === "address" ? AddressElement : type === "payment" ? PaymentElement : Element;
      const element = new Kind(this, type, options);
      this._elements.push(element);
      return element;
    }
    getElement(type, opts) {
      const name = type && typeof type === "object" ? type.__elementType : typeof type === "function" ? type.__elementType : type;
      if (!TYPES.includes(name)) {
        throw new IntegrationError("A valid Element name must be provided. Valid Elements are: linkAuthentication, address, payment; you passed: " + name + ".");
      }
      const mode = opts && opts.mode;
      return this._elements.find((e) => e._type === name && (!mode || e._options.mode === mode)) || null;
    }
    update(options) {
      options = clone(options || {});
      if ("clientSecret" in options) throw new IntegrationError("Invalid value for elements.update(): clientSecret cannot be updated.");
      Object.assign(this._options, options);
      const frameOptions = this._frameOptions();
      const changed = {};
      for (const key of Object.keys(options)) if (key in frameOptions) changed[key] = frameOptions[key];
      for (const element of this._elements) if (element._mounted) element._send("groupUpdate", changed);
      setTimeout(() => this._emit("update-end", {}), 0);
      return Promise.resolve();
    }
    fetchUpdates() {
      return Promise.resolve({});
    }
    submit() {
      return this._validate().then((result) => (result.error ? { error: result.error } : { selectedPaymentMethod: result.selectedPaymentMethod }));
    }
    _remove(element) {
      this._elements = this._elements.filter((e) => e !== element);
    }
    _payment() {
      return this._elements.find((e) => e._type === "payment" && e._mounted) || null;
    }
    /** Ask every mounted Element to validate (each shows its own errors); gather what confirm needs. */
    async _validate() {
      const order = ["linkAuthentication", "address", "payment"];
      const mounted = this._elements.filter((e) => e._mounted).sort((a, b) => order.indexOf(a._type) - order.indexOf(b._type));
      const results = await Promise.all(mounted.map((e) => e._call("validate").then((r) => [e, r || {}])));
      const out = { error: null, email: null, shipping: null, billing: null, selectedPaymentMethod: null };
      for (const [element, result] of results) {
        if (result.error && !out.error) out.error = result.error;
        if (element._type === "linkAuthentication" && result.value) out.email = result.value.email;
        if (element._type === "address" && result.value) out[result.mode === "billing" ? "billing" : "shipping"] = result.value;
        if (element._type === "payment") out.selectedPaymentMethod = result.selectedPaymentMethod;
      }
      return out;
    }
  }

  // ---- Stripe ----
  function Stripe(key, options) {
    if (!(this instanceof Stripe)) return new Stripe(key, options);
    if (typeof key !== "string" || !key) {
      throw new IntegrationError("Invalid value for Stripe(): apiKey should be a string. You specified: " + (key === "" ? "an empty string" : typeof key) + ".");
    }
    if (/^(sk|rk)_/.test(key)) throw new IntegrationError("You should not use your secret key with Stripe.js.\nPlease pass a publishable key instead.");
    if (!/^pk_(test|live)_/.test(key)) throw new IntegrationError("Invalid value for Stripe(): apiKey should be a publishable key. You specified: " + key + ".");
    if (key.startsWith("pk_live_")) throw new IntegrationError("Link Lab's Stripe.js stand-in only works in test mode: use a pk_test_ key.");
    options = options || {};
    this._key = key;
    this._apiVersion = options.apiVersion || null;
    this._account = options.stripeAccount || null;
    this._locale = options.locale || "auto";
    this._wrappers = [];
    this._appInfo = null;
  }
  Stripe.version = VERSION;
  Stripe.__linkLab = true;

  Stripe.prototype.elements = function elements(options) {
    return new Elements(this, options);
  };
  Stripe.prototype._registerWrapper = function registerWrapper(wrapper) {
    this._wrappers.push(wrapper);
  };
  Stripe.prototype.registerAppInfo = function registerAppInfo(info) {
    this._appInfo = info;
  };

  Stripe.prototype._request = async function request(method, path, params) {
    const body = encode(Object.assign({ key: this._key }, params || {}));
    const headers = {};
    if (this._apiVersion) headers["Stripe-Version"] = this._apiVersion;
    if (this._account) headers["Stripe-Account"] = this._account;
    let response;
    try {
      if (method === "GET") response = await fetch(ORIGIN + path + "?" + body, { headers: headers, credentials: "omit" });
      else {
        headers["Content-Type"] = "application/x-www-form-urlencoded";
        response = await fetch(ORIGIN + path, { method: method, headers: headers, body: body, credentials: "omit" });
      }
    } catch (err) {
      return { error: { type: "api_connection_error", message: "An error occurred with our connection to Stripe. Request was retried 0 times." } };
    }
    let json = null;
    try { json = await response.json(); } catch (err) { json = null; }
    if (!response.ok) return { error: (json && json.error) || { type: "api_error", message: "Request failed with status " + response.status + "." } };
    return { data: json };
  };

  Stripe.prototype._retrieve = async function retrieve(clientSecret) {
    const { id, kind } = parseSecret(clientSecret, "retrieve");
    const result = await this._request("GET", "/v1/" + kind + "_intents/" + id, { client_secret: clientSecret });
    return result.error ? { error: result.error } : { [kind + "Intent"]: result.data };
  };
  Stripe.prototype.retrieveSetupIntent = function retrieveSetupIntent(clientSecret) {
    if (parseSecret(clientSecret, "retrieveSetupIntent").kind !== "setup") throw new IntegrationError("Invalid value for retrieveSetupIntent: expected a SetupIntent client secret.");
    return this._retrieve(clientSecret);
  };
  Stripe.prototype.retrievePaymentIntent = function retrievePaymentIntent(clientSecret) {
    if (parseSecret(clientSecret, "retrievePaymentIntent").kind !== "payment") throw new IntegrationError("Invalid value for retrievePaymentIntent: expected a PaymentIntent client secret.");
    return this._retrieve(clientSecret);
  };

  Stripe.prototype.confirmSetup = function confirmSetup(options) {
    return this._confirm("setup", "confirmSetup", options);
  };
  Stripe.prototype.confirmPayment = function confirmPayment(options) {
    return this._confirm("payment", "confirmPayment", options);
  };

  /** The four call forms: {elements, clientSecret?, confirmParams?, redirect?}. */
  Stripe.prototype._confirm = function confirm(kind, method, options) {
    if (!options || typeof options !== "object") throw new IntegrationError("Invalid value for stripe." + method + "(): expected an object.");
    const elements = options.elements;
    if (elements !== undefined && !(elements instanceof Elements)) throw new IntegrationError("Invalid value for stripe." + method + "(): elements should be an Elements group. You specified: " + typeof elements + ".");
    const clientSecret = options.clientSecret || (elements && elements._options.clientSecret);
    if (!clientSecret) throw new IntegrationError("stripe." + method + "(): the `clientSecret` argument is required when the Elements group was created without one.");
    const intent = parseSecret(clientSecret, "stripe." + method + "()");
    if (intent.kind !== kind) throw new IntegrationError("stripe." + method + "(): expected a " + (kind === "setup" ? "SetupIntent" : "PaymentIntent") + " client secret.");
    const redirect = options.redirect || "always";
    if (!["always", "if_required"].includes(redirect)) throw new IntegrationError("Invalid value for stripe." + method + "(): redirect should be one of the following strings: always, if_required. You specified: " + redirect + ".");
    const confirmParams = clone(options.confirmParams) || {};
    if (redirect === "always" && !confirmParams.return_url) {
      throw new IntegrationError("stripe." + method + "(): the `confirmParams.return_url` argument is required unless passing `redirect: 'if_required'`");
    }
    const payment = elements && elements._payment();
    if (!payment && !confirmParams.payment_method) {
      throw new IntegrationError("stripe." + method + "(): expected an Elements group with a mounted Payment Element, or confirmParams.payment_method.");
    }
    return (async () => {
      let result;
      if (payment) {
        const checked = await elements._validate();
        if (checked.error) return { error: checked.error };
        result = await payment._call("confirm", { clientSecret: clientSecret, confirmParams: confirmParams, email: checked.email, shipping: checked.shipping, billing: checked.billing });
      } else {
        const params = Object.assign({}, confirmParams, { client_secret: clientSecret, use_stripe_sdk: "true" });
        const response = await this._request("POST", "/v1/" + kind + "_intents/" + intent.id + "/confirm", params);
        result = response.error ? { error: response.error } : { intent: response.data };
      }
      if (!result || result.error) return { error: (result && result.error) || { type: "api_error", message: "The confirmation failed." } };
      return this._afterConfirm(kind, clientSecret, result.intent, redirect, confirmParams.return_url);
    })();
  };

  Stripe.prototype._afterConfirm = async function afterConfirm(kind, clientSecret, intent, redirect, returnUrl) {
    if (intent.status === "requires_action") return this._authenticate(kind, clientSecret, intent, redirect, returnUrl);
    return this._finish(kind, intent, redirect, returnUrl);
  };

  Stripe.prototype._finish = function finish(kind, intent, redirect, returnUrl) {
    const key = kind + "Intent";
    if (intent.status === "requires_payment_method" && (intent.last_setup_error || intent.last_payment_error)) {
      return { error: authenticationError(kind, intent) };
    }
    if (redirect === "always" && returnUrl) {
      const status = intent.status === "succeeded" ? "succeeded" : intent.status === "processing" ? "processing" : "failed";
      location.assign(returnTo(returnUrl, kind, intent, status));
      return never();
    }
    return { [key]: intent };
  };

  function returnTo(returnUrl, kind, intent, status) {
    const url = new URL(returnUrl, location.href);
    url.searchParams.append(kind + "_intent", intent.id);
    url.searchParams.append(kind + "_intent_client_secret", intent.client_secret);
    url.searchParams.append("redirect_status", status);
    return url.href;
  }

  function authenticationError(kind, intent) {
    const last = Object.assign({}, kind === "setup" ? intent.last_setup_error : intent.last_payment_error);
    if (/_authentication_failure$/.test(last.code || "")) last.message = AUTH_FAILED;
    last[kind + "_intent"] = intent;
    return last;
  }

  function challengeUrl(action) {
    if (!action) return null;
    if (action.type === "redirect_to_url" && action.redirect_to_url) return action.redirect_to_url.url;
    if (action.type === "use_stripe_sdk" && action.use_stripe_sdk) return action.use_stripe_sdk.stripe_js || action.use_stripe_sdk.url || null;
    return null;
  }

  Stripe.prototype._authenticate = async function authenticate(kind, clientSecret, intent, redirect, returnUrl) {
    const action = intent.next_action;
    const url = challengeUrl(action);
    if (!url) {
      return { error: { type: "invalid_request_error", message: "Link Lab's Stripe.js stand-in cannot handle next_action " + (action && action.type) + ".", [kind + "_intent"]: intent } };
    }
    if (action.type === "redirect_to_url" && redirect === "always") {
      location.assign(url);
      return never();
    }
    await openChallenge(url);
    const again = await this._request("GET", "/v1/" + kind + "_intents/" + intent.id, { client_secret: clientSecret });
    if (again.error) return { error: again.error };
    const updated = again.data;
    if (updated.status === "requires_action") {
      return { error: { type: "invalid_request_error", code: kind + "_intent_authentication_failure", message: AUTH_FAILED, [kind + "_intent"]: updated } };
    }
    return this._finish(kind, updated, redirect, returnUrl);
  };

  /** The in-page 3-D Secure modal: resolves when the challenge page reports Complete / Fail / Cancel. */
  function openChallenge(url) {
    return new Promise((resolve) => {
      const id = uid();
      const overlay = document.createElement("div");
      overlay.setAttribute("role", "dialog");
      overlay.setAttribute("aria-modal", "true");
      overlay.setAttribute("aria-label", "3D Secure authentication");
      overlay.style.cssText = "position:fixed!important;inset:0!important;z-index:2147483647!important;display:flex!important;align-items:center!important;justify-content:center!important;background:rgba(0,0,0,0.45)!important;";
      const iframe = document.createElement("iframe");
      iframe.name = "__privateStripeFrame" + (1000 + ++counter);
      iframe.title = "3D Secure 2 challenge";
      iframe.src = ORIGIN + "/v3/three-ds-2-challenge.html#" + encodeURIComponent(JSON.stringify({ url: url, id: id, parentOrigin: location.origin }));
      iframe.style.cssText = "width:min(500px,96vw)!important;height:min(620px,92vh)!important;border:0!important;border-radius:8px!important;background:#fff!important;box-shadow:0 10px 40px rgba(0,0,0,0.3)!important;";
      overlay.append(iframe);
      document.body.append(overlay);
      modals.set(id, (outcome) => {
        modals.delete(id);
        overlay.remove();
        resolve(outcome);
      });
    });
  }

  Stripe.prototype.handleNextAction = function handleNextAction(options) {
    if (!options || !options.clientSecret) throw new IntegrationError("stripe.handleNextAction(): the `clientSecret` argument is required.");
    const { kind } = parseSecret(options.clientSecret, "stripe.handleNextAction()");
    return (async () => {
      const current = await this._retrieve(options.clientSecret);
      if (current.error) return current;
      const intent = current[kind + "Intent"];
      if (intent.status !== "requires_action") {
        throw new IntegrationError("stripe.handleNextAction(): the " + (kind === "setup" ? "SetupIntent" : "PaymentIntent") + " is not in the requires_action state (status: " + intent.status + ").");
      }
      return this._authenticate(kind, options.clientSecret, intent, "if_required", null);
    })();
  };

  for (const name of ["createToken", "createPaymentMethod", "confirmCardPayment", "confirmCardSetup"]) {
    Stripe.prototype[name] = function unsupported() {
      throw new IntegrationError("stripe." + name + "() needs a Card Element, which Link Lab's Stripe.js stand-in does not offer. Use the Payment Element with stripe.confirmSetup() or stripe.confirmPayment().");
    };
  }

  Object.defineProperty(window, "Stripe", { value: Stripe, writable: true, configurable: true });
})();
