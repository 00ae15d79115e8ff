// What the page server tells the browser, and the Stripe.js it names.
//
// GET /config -> {publishableKey, stripeJsUrl, apiVersion, returnUrl}: offline stripeJsUrl is the
// emulator's /v3/, online https://js.stripe.com/v3/. GET /secret -> {client_secret}.
//
// Why a <script> of our own: `loadStripe` from '@stripe/stripe-js' injects js.stripe.com/<train>/
// stripe.js unless `window.Stripe` already exists (and the package's main entry does so on import,
// after one tick). Checkout.js imports '@stripe/stripe-js/pure', which injects nothing until
// loadStripe() is called; we call it only after the Stripe.js from /config has set window.Stripe,
// so loadStripe uses that one and no request goes to js.stripe.com unless /config says so.
// https://github.com/stripe/stripe-js#importing-loadstripe-without-side-effects

// Our own routes answer errors in Stripe's envelope: {error: {type, message, code?}}.
export async function getJSON(url) {
  const response = await fetch(url, { headers: { Accept: 'application/json' } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error((body.error && body.error.message) || `${url} answered ${response.status}`);
  }
  return body;
}

function loadScript(src) {
  return new Promise((resolve, reject) => {
    if (window.Stripe) {
      resolve(window.Stripe);
      return;
    }
    const script = document.createElement('script');
    script.src = src;
    script.onload = () =>
      window.Stripe ? resolve(window.Stripe) : reject(new Error('Stripe.js not available'));
    script.onerror = () => reject(new Error(`Failed to load Stripe.js from ${src}`));
    document.head.appendChild(script);
  });
}

// The page's settings, once Stripe.js from config.stripeJsUrl is on the page (window.Stripe).
export const config = getJSON('/config').then(async (settings) => {
  await loadScript(settings.stripeJsUrl);
  return settings;
});
