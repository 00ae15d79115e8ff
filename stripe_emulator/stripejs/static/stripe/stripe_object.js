/*
 * Link Lab Stripe.js stand-in, part of stripe.js: `window.Stripe` itself (registers `stripe`, the
 * constructor). Confirms, retrieves, handles next actions and opens the in-page 3-D Secure modal.
 * Needs every part before it (see stripe/core.js for the order); the last part of stripe.js.
 */
(function (ns) {
  "use strict";
  if (ns.stripe) return;
  const { ORIGIN, BASE, VERSION, AUTH_FAILED, IntegrationError, clone, never, nextId, uid } = ns.core;
  const { MSG, request } = ns.common;
  const { Elements, parseSecret } = ns.elements;

  // The 3-D Secure modal (three-ds-2-challenge.html) reports its outcome by postMessage.
  const modals = new Map(); // 3DS id -> resolve
  window.addEventListener("message", (event) => {
    if (event.origin !== ORIGIN || !event.data || event.data.__stripeLinkLab !== MSG) return;
    const resolve = event.data.threeDS && modals.get(event.data.threeDS);
    if (resolve) resolve(event.data.outcome);
  });

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

  Stripe.prototype._request = function request_(method, path, params) {
    return request(BASE, { key: this._key, apiVersion: this._apiVersion, stripeAccount: this._account }, method, path, params);
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
    if (action.type === "redirect_to_url") {
      // Only a server-side confirm (no use_stripe_sdk) with a return_url leaves this: the whole
      // tab goes to the test page, which sends the customer back to that return_url.
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
      iframe.name = "__privateStripeFrame" + (1000 + nextId());
      iframe.title = "3D Secure 2 challenge";
      iframe.src = BASE + "/v3/three-ds-2-challenge.html#" + encodeURIComponent(JSON.stringify({ url: url, id: id, parentOrigin: location.origin }));
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

  ns.stripe = Stripe;
  Object.defineProperty(window, "Stripe", { value: Stripe, writable: true, configurable: true });
})(window.__linklabStripe = window.__linklabStripe || {});
