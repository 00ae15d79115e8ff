// The guide's Checkout.js ("Set up future Link payments", React):
// https://docs.stripe.com/payments/link/save-and-reuse?platform=web
//
// Its two listings, merged: the payment form (Elements with Link Authentication, Address and
// Payment Elements), then submitting it with stripe.confirmSetup. What differs, and why:
// - the publishable key, the API version and return_url come from the page server's /config
//   (the guide hard-codes 'pk_test_...' and https://example.com/order/123/complete);
// - the client secret comes from the page server's /secret (main.jsx);
// - known details (?email=, ?name=, ?phone=) prefill the Elements, as on the plain page;
// - the form shows the email, errors and a busy button like embedded_page/static/checkout.js,
//   so the same browser tests drive both pages.
import { useEffect, useState } from 'react';
import { loadStripe } from '@stripe/stripe-js/pure';
import {
  AddressElement,
  Elements,
  LinkAuthenticationElement,
  PaymentElement,
  useElements,
  useStripe,
} from '@stripe/react-stripe-js';
import { config } from './server.js';

const stripe = config.then(({ publishableKey, apiVersion }) =>
  apiVersion ? loadStripe(publishableKey, { apiVersion }) : loadStripe(publishableKey),
);

// Customize the appearance of Elements using the Appearance API: the plain page's theme.
// https://docs.stripe.com/elements/appearance-api
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

// Enable the skeleton loader UI for the optimal loading experience.
const loader = 'auto';

// What the merchant already knows about the customer (prefill only: they choose nothing).
const query = new URLSearchParams(window.location.search);
const knownEmail = query.get('email');
const billingDetails = Object.fromEntries(
  ['name', 'phone'].filter((key) => query.get(key)).map((key) => [key, query.get(key)]),
);
const linkAuthenticationOptions = knownEmail ? { defaultValues: { email: knownEmail } } : {};
const paymentOptions = Object.keys(billingDetails).length ? { defaultValues: { billingDetails } } : {};
const addressOptions = { mode: 'shipping', allowedCountries: ['US'] };

export const CheckoutPage = ({ clientSecret }) => (
  <Elements stripe={stripe} options={{ clientSecret, appearance, loader }}>
    <CheckoutForm />
  </Elements>
);

export default function CheckoutForm() {
  const stripe = useStripe();
  const elements = useElements();
  const [email, setEmail] = useState('');
  const [ready, setReady] = useState(false);
  const [isLoading, setIsLoading] = useState(false);
  const [message, setMessage] = useState(null);

  // Back from a setup that did not succeed (the return_url sent the customer back): say why.
  useEffect(() => {
    const returned = query.get('setup_intent_client_secret');
    if (!stripe || !returned) return;
    stripe.retrieveSetupIntent(returned).then(({ setupIntent }) => {
      if (!setupIntent || setupIntent.status === 'succeeded') return;
      setMessage(
        (setupIntent.last_setup_error && setupIntent.last_setup_error.message) ||
          'Your payment method was not saved. Please try again.',
      );
    });
  }, [stripe]);

  const handleSubmit = async (event) => {
    // We don't want to let default form submission happen here, which would refresh the page.
    event.preventDefault();

    if (!stripe || !elements || isLoading) {
      // Stripe.js has not yet loaded, or a confirmation is under way.
      return;
    }

    setIsLoading(true);
    setMessage(null);

    const { returnUrl } = await config;
    // checkout=react: a setup that was not saved comes back to this page, not the plain one.
    const returnTo = new URL(returnUrl, window.location.href);
    returnTo.searchParams.set('checkout', 'react');
    const { error } = await stripe.confirmSetup({
      elements,
      confirmParams: {
        return_url: returnTo.href,
      },
    });

    // This point is only reached on an immediate error (a declined card, failed 3-D Secure):
    // otherwise Stripe.js is already taking the customer to return_url.
    if (error) {
      setMessage(error.message);
    }
    setIsLoading(false);
  };

  return (
    <form id="payment-form" className="card" noValidate onSubmit={handleSubmit}>
      <section aria-labelledby="contact-heading">
        <h2 id="contact-heading">Contact info</h2>
        <LinkAuthenticationElement
          id="link-authentication-element"
          className="element"
          options={linkAuthenticationOptions}
          // Access the email value like so:
          onChange={(event) => setEmail(event.value.email)}
        />
        <p className="hint">
          Email: <output id="link-email" aria-live="polite">{email || 'not entered yet'}</output>
        </p>
      </section>

      <section aria-labelledby="shipping-heading">
        <h2 id="shipping-heading">Shipping address</h2>
        <AddressElement id="address-element" className="element" options={addressOptions} />
      </section>

      <section aria-labelledby="payment-heading">
        <h2 id="payment-heading">Payment</h2>
        <PaymentElement
          id="payment-element"
          className="element"
          // Optional prop for prefilling customer information
          options={paymentOptions}
          onReady={() => setReady(true)}
          onLoadError={(event) =>
            setMessage((event.error && event.error.message) || 'The payment form could not load.')
          }
        />
      </section>

      <div id="error-message" className="error" role="alert" hidden={!message}>
        {message}
      </div>

      <button id="submit" type="submit" disabled={isLoading || !ready || !stripe || !elements}>
        <span id="button-text">{isLoading ? 'Saving…' : 'Save payment method'}</span>
      </button>
      <p id="status" className="hint" aria-live="polite">
        {ready ? '' : 'Loading the payment form…'}
      </p>
    </form>
  );
}
