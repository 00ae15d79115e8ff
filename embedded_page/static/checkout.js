// Checkout page: the guide's Checkout.js in plain JavaScript (ES2020, no build step).
//
// 1. GET /config: publishable key and which Stripe.js to load (the emulator's /v3/ offline).
// 2. GET /secret: a SetupIntent's client secret for the current customer.
// 3. One Elements group: Link Authentication Element, Address Element (shipping), Payment Element.
// 4. Submit: stripe.confirmSetup() -> Stripe.js redirects to /order/complete, or returns {error}.
'use strict';

(() => {
  // The page's own URL without its path: window.location.origin, plus the path a reverse proxy
  // serves the page under (a JupyterHub's /user/alice/proxy/4302), found from this script's URL.
  const pageBase = new URL('..', document.currentScript.src).href.replace(/\/$/, '');
  const form = document.getElementById('payment-form');
  const submitButton = document.getElementById('submit');
  const buttonText = document.getElementById('button-text');
  const errorMessage = document.getElementById('error-message');
  const statusLine = document.getElementById('status');
  const emailOutput = document.getElementById('link-email');
  const defaults = JSON.parse(document.getElementById('checkout-defaults').textContent);

  // Appearance API: the 'stripe' theme, sized for reading on a projector.
  const appearance = {
    theme: 'stripe',
    variables: {
      colorPrimary: '#0570de',
      colorText: '#1a1f36',
      colorDanger: '#df1b41',
      fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
      fontSizeBase: '17px',
      spacingUnit: '4px',
      borderRadius: '6px',
    },
  };

  const showError = (message) => {
    errorMessage.textContent = message;
    errorMessage.hidden = !message;
  };

  const setStatus = (message) => {
    statusLine.textContent = message;
  };

  const setBusy = (busy) => {
    submitButton.disabled = busy;
    buttonText.textContent = busy ? 'Saving…' : 'Save payment method';
  };

  // Our own routes answer errors in Stripe's envelope: {error: {type, message, code?}}.
  const getJSON = async (url) => {
    const response = await fetch(url, { headers: { Accept: 'application/json' } });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      throw new Error((body.error && body.error.message) || `${url} answered ${response.status}`);
    }
    return body;
  };

  const loadStripeJs = (src) =>
    new Promise((resolve, reject) => {
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

  const start = async () => {
    const config = await getJSON(`${pageBase}/config`);
    const StripeJs = await loadStripeJs(config.stripeJsUrl);
    const stripe = config.apiVersion
      ? StripeJs(config.publishableKey, { apiVersion: config.apiVersion })
      : StripeJs(config.publishableKey);

    // The customer is this browser's session (a login link or a new guest): never a parameter.
    const { client_secret: clientSecret } = await getJSON(`${pageBase}/secret`);

    const elements = stripe.elements({ clientSecret, appearance, loader: 'auto' });

    // Contact info first: Link looks the email up and, for a Link customer, asks for a code.
    const linkAuthenticationElement = elements.create(
      'linkAuthentication',
      defaults.email ? { defaultValues: { email: defaults.email } } : {},
    );
    linkAuthenticationElement.on('change', (event) => {
      emailOutput.textContent = (event.value && event.value.email) || 'not entered yet';
    });
    linkAuthenticationElement.mount('#link-authentication-element');

    const addressElement = elements.create('address', {
      mode: 'shipping',
      allowedCountries: ['US'],
    });
    addressElement.mount('#address-element');

    const billingDetails = {};
    if (defaults.name) billingDetails.name = defaults.name;
    if (defaults.phone) billingDetails.phone = defaults.phone;
    const paymentElement = elements.create(
      'payment',
      Object.keys(billingDetails).length ? { defaultValues: { billingDetails } } : {},
    );
    paymentElement.on('ready', () => {
      setStatus('');
      setBusy(false);
    });
    paymentElement.on('loaderror', (event) => {
      showError((event.error && event.error.message) || 'The payment form could not load.');
    });
    paymentElement.mount('#payment-element');

    // Back from a setup that did not succeed (e.g. failed 3-D Secure): say why.
    const returnedSecret = new URLSearchParams(window.location.search).get(
      'setup_intent_client_secret',
    );
    if (returnedSecret) {
      stripe.retrieveSetupIntent(returnedSecret).then(({ setupIntent }) => {
        if (!setupIntent || setupIntent.status === 'succeeded') return;
        showError(
          (setupIntent.last_setup_error && setupIntent.last_setup_error.message) ||
            'Your payment method was not saved. Please try again.',
        );
      });
    }

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (submitButton.disabled) return;
      setBusy(true);
      showError('');
      const { error } = await stripe.confirmSetup({
        elements,
        confirmParams: { return_url: `${pageBase}/order/complete` },
      });
      // Only reached on failure: on success Stripe.js is already navigating to return_url.
      if (error) showError(error.message);
      setBusy(false);
    });
  };

  start().catch((err) => {
    setStatus('');
    showError(err.message);
  });
})();
