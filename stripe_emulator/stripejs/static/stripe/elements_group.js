/*
 * Link Lab Stripe.js stand-in, part of stripe.js: the Elements group that stripe.elements() returns
 * (registers `elements`: Elements and parseSecret). It creates and finds the group's Elements,
 * passes group options to their frames and gathers what confirm needs from them.
 * Needs `core`, `common` and `element` (see stripe/core.js for the order).
 */
(function (ns) {
  "use strict";
  if (ns.elements) return;
  const { TYPES, IntegrationError, Emitter, clone, uid } = ns.core;
  const { intentOf } = ns.common;
  const { Element, AddressElement, PaymentElement } = ns.element;

  /** The intent a client secret names, or the IntegrationError Stripe.js throws for it. */
  function parseSecret(clientSecret, method) {
    const intent = intentOf(clientSecret);
    if (!intent) {
      throw new IntegrationError("Invalid value for " + method + ": clientSecret should be a client secret of the form ${id}_secret_${secret}. You specified: " + clientSecret + ".");
    }
    return intent;
  }

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

  ns.elements = { Elements: Elements, parseSecret: parseSecret };
})(window.__linklabStripe = window.__linklabStripe || {});
