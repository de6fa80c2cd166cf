import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { useStore } from './store/store.ts';
import './styles.css';

// Bugs land here, once, and show in the message bar instead of failing silently.
const report = (error: unknown): void => useStore.getState().showNotice({ kind: 'error', text: `Something went wrong: ${(error as Error)?.message ?? String(error)}` });
window.addEventListener('error', (event) => report(event.error ?? event.message));
window.addEventListener('unhandledrejection', (event) => report(event.reason));

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
