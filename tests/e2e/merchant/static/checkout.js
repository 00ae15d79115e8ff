// The e2e suite's checkout page: only the public Stripe.js surface (plain ES2020, no build step).
// Options come from this page's own query string:
//   customer=cus_…, types=card   passed to /secret
//   email=…          Link Authentication Element defaultValues.email
//   address=0        no Address Element          linkauth=0     no Link Authentication Element
//   redirect=if_required                         layout=accordion
//   appearance={JSON}                            loader=auto|always|never
//   order=…          kept in the return_url (the merchant's own query parameter)
//   addressMode=billing                          name=…         confirmParams billing_details.name
// Every Element event is recorded in window.__events for the tests to read.
"use strict";

(async () => {
  const config = JSON.parse(document.getElementById("config").textContent);
  const query = new URLSearchParams(location.search);
  const form = document.getElementById("payment-form");
  const errorMessage = document.getElementById("error-message");
  const result = document.getElementById("result");
  window.__events = [];
  const record = (element, name) => element.on(name, (payload) => window.__events.push({ event: name, payload }));

  const stripe = Stripe(config.publishableKey);
  const secretQuery = new URLSearchParams();
  for (const name of ["customer", "types"]) if (query.get(name)) secretQuery.set(name, query.get(name));
  const secretUrl = "/secret?" + secretQuery;
  const { client_secret: clientSecret } = await (await fetch(secretUrl)).json();
  window.__clientSecret = clientSecret;

  const appearance = query.get("appearance") ? JSON.parse(query.get("appearance")) : { theme: "stripe" };
  const elements = stripe.elements({ clientSecret, appearance, loader: query.get("loader") || "auto" });
  window.__elements = elements;

  const events = ["ready", "change", "focus", "blur", "escape", "loaderror", "loaderstart"];
  if (query.get("linkauth") !== "0") {
    const email = query.get("email");
    const linkAuthentication = elements.create("linkAuthentication", email ? { defaultValues: { email } } : {});
    events.forEach((name) => record(linkAuthentication, name));
    linkAuthentication.mount("#link-authentication-element");
  }
  if (query.get("address") !== "0") {
    const mode = query.get("addressMode") || "shipping";
    const address = elements.create("address", { mode, allowedCountries: ["US"] });
    events.forEach((name) => record(address, name));
    address.mount("#address-element");
  }
  const payment = elements.create("payment", { layout: query.get("layout") || "tabs" });
  events.forEach((name) => record(payment, name));
  payment.mount("#payment-element");

  const returnUrl = new URL("/return", location.href);
  if (query.get("order")) returnUrl.searchParams.set("order", query.get("order"));

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    errorMessage.textContent = "";
    const redirect = query.get("redirect") || "always";
    const confirmParams = { return_url: returnUrl.href };
    if (query.get("name")) {
      confirmParams.payment_method_data = { billing_details: { name: query.get("name") } };
    }
    const outcome = await stripe.confirmSetup({ elements, confirmParams, redirect });
    window.__outcome = outcome;
    if (outcome.error) {
      errorMessage.textContent = outcome.error.message;
    } else if (outcome.setupIntent) {
      result.textContent = outcome.setupIntent.status;
    }
  });
})();
