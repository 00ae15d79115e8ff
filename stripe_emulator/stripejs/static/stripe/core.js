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
 * 3-D Secure: confirms send use_stripe_sdk=true, so the intent's next_action is use_stripe_sdk and
 * the emulator's mock authentication page opens in an in-page modal in every confirm form;
 * Complete then redirects to return_url (or resolves with redirect: 'if_required'), Fail / Cancel
 * resolve {error} and the page stays. A redirect_to_url next_action (an intent confirmed on the
 * server with a return_url, met by handleNextAction) navigates the whole tab there instead.
 *
 * Served as ONE script: the emulator joins, in this order, static/stripe/core.js, static/common.js,
 * static/stripe/element.js, elements_group.js and stripe_object.js (STRIPE_JS_PARTS in
 * stripejs/__init__.py). Each part parses and runs on its own: an IIFE that registers under one
 * name on the namespace object `window.__linklabStripe` and reads the parts before it from there
 * (common.js explains the convention). This part registers `core`: constants, IntegrationError,
 * small helpers and the event Emitter; it needs no other part.
 */
(function (ns) {
  "use strict";
  if (ns.core) return;

  const script = document.currentScript || document.querySelector('script[src*="/v3"], script[src*="/stripe.js"]');
  const SCRIPT_URL = new URL(script ? script.src : location.href, location.href);
  const ORIGIN = SCRIPT_URL.origin;
  // Where the emulator is, as this page reaches it: its origin, plus the path a reverse proxy
  // serves it under (a hub's /user/alice/proxy/12111). Frames, API calls and the 3-D Secure
  // page are found beside this script, so they go through the same proxy.
  const SCRIPT_PATH = SCRIPT_URL.pathname.match(/^(.*?)(\/v3\/?|\/(?!static\/)[a-z]+\/stripe\.js)$/) || [null, "", SCRIPT_URL.pathname];
  const BASE = ORIGIN + SCRIPT_PATH[1];
  const VERSION = /^\/v3\/?$/.test(SCRIPT_PATH[2]) ? 3 : SCRIPT_PATH[2].split("/")[1] || 3;
  const TYPES = ["linkAuthentication", "address", "payment"];
  const AUTH_FAILED = "We are unable to authenticate your payment method. Please choose a different payment method and try again.";

  class IntegrationError extends Error {
    constructor(message) {
      super(message);
      this.name = "IntegrationError";
    }
  }

  let counter = 0;
  const nextId = () => ++counter;
  const uid = () => (crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2) + Date.now());
  const clone = (value) => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));
  const never = () => new Promise(() => {});

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

  ns.core = {
    ORIGIN: ORIGIN, BASE: BASE, VERSION: VERSION, TYPES: TYPES, AUTH_FAILED: AUTH_FAILED, IntegrationError: IntegrationError,
    nextId: nextId, uid: uid, clone: clone, never: never, Emitter: Emitter,
  };
})(window.__linklabStripe = window.__linklabStripe || {});
