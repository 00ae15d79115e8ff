/*
 * Link Lab Stripe.js stand-in: what the merchant page's stripe.js and the Element frames share.
 * Plain ES2020, no build step. Served inside stripe.js (right after stripe/core.js) and loaded
 * first by every frame (/v3/static/common.js), so both sides speak the same wire format.
 *
 * Every file of the stand-in is one IIFE that takes the namespace object
 * `window.__linklabStripe` (created by whichever file runs first), registers its part under one
 * name, and returns early if that name is already there (a page that loads stripe.js twice).
 * This file registers `common`:
 *   MSG             the marker on every postMessage between page, frames and the 3-D Secure modal
 *   intentOf(s)     `seti_…_secret_…` / `pi_…_secret_…` -> {id, kind: 'setup' | 'payment'}, else null
 *   encode(params)  nested objects and arrays as Stripe's bracketed form fields (a[b][0]=c)
 *   request(origin, auth, method, path, params)  one API call, form-encoded like Stripe.js, with the
 *                   publishable key as the `key` field; resolves {data} or {error} (never rejects)
 *   credentialsFor(base)  "omit", or "same-origin" for an emulator under a proxy's path
 */
(function (ns) {
  "use strict";
  if (ns.common) return;

  const SECRET = /^((seti|pi)_[A-Za-z0-9]+)_secret_[A-Za-z0-9]+$/;

  function intentOf(clientSecret) {
    const match = SECRET.exec(typeof clientSecret === "string" ? clientSecret : "");
    return match ? { id: match[1], kind: match[2] === "seti" ? "setup" : "payment" } : null;
  }

  function encode(params) {
    const parts = [];
    (function walk(value, prefix) {
      if (value === undefined || value === null) return;
      if (Array.isArray(value)) value.forEach((v, i) => walk(v, prefix + "[" + i + "]"));
      else if (typeof value === "object") {
        for (const key of Object.keys(value)) walk(value[key], prefix ? prefix + "[" + key + "]" : key);
      } else parts.push(encodeURIComponent(prefix) + "=" + encodeURIComponent(String(value)));
    })(params, "");
    return parts.join("&");
  }

  /** `origin` "" means this document's own origin; `auth` = {key, apiVersion, stripeAccount}. */
  /** Like Stripe.js, API calls carry no cookies; but an emulator served under a proxy's path
   *  (a hub's /user/alice/proxy/12111) is reached only with the hub's login cookie, which a
   *  same-origin call sends (cross-origin pages still send none). */
  function credentialsFor(base) {
    return /^https?:\/\/[^/]+\/./.test(base) ? "same-origin" : "omit";
  }

  async function request(origin, auth, method, path, params) {
    const credentials = credentialsFor(origin);
    const body = encode(Object.assign({ key: auth.key }, params || {}));
    const headers = {};
    if (auth.apiVersion) headers["Stripe-Version"] = auth.apiVersion;
    if (auth.stripeAccount) headers["Stripe-Account"] = auth.stripeAccount;
    let response;
    try {
      if (method === "GET") {
        response = await fetch(origin + path + "?" + body, { headers: headers, credentials: credentials });
      } else {
        headers["Content-Type"] = "application/x-www-form-urlencoded";
        response = await fetch(origin + path, { method: method, headers: headers, body: body, credentials: credentials });
      }
    } catch (err) {
      return { error: { type: "api_connection_error", message: "An error occurred with our connection to Stripe. Request was retried 0 times." } };
    }
    let json = null;
    try { json = await response.json(); } catch (err) { json = null; }
    if (!response.ok) {
      return { error: (json && json.error) || { type: "api_error", message: "Request failed with status " + response.status + "." } };
    }
    return { data: json };
  }

  ns.common = { MSG: 1, intentOf: intentOf, encode: encode, request: request, credentialsFor: credentialsFor };
})(window.__linklabStripe = window.__linklabStripe || {});
