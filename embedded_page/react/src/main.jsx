// Boot: the client secret from the page server's /secret (guide step 3), then the guide's
// CheckoutPage (Checkout.js). Errors before the form exists show in the page's alert line.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { CheckoutPage } from './Checkout.js';
import { config, getJSON } from './server.js';

const root = createRoot(document.getElementById('root'));

// The customer is this browser's session (a login link or a new guest): never a parameter.
Promise.all([config, getJSON('/secret')])
  .then(([, { client_secret: clientSecret }]) =>
    root.render(
      <StrictMode>
        <CheckoutPage clientSecret={clientSecret} />
      </StrictMode>,
    ),
  )
  .catch((error) =>
    root.render(
      <div id="error-message" className="error" role="alert">
        {error.message}
      </div>,
    ),
  );
