import { applyI18n, t } from './i18n.js';
import { api, errorText } from './api.js';

applyI18n();
document.getElementById('login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const out = document.getElementById('login-error');
  out.textContent = '';
  const key = document.getElementById('api-key').value.trim();
  if (!key) { out.textContent = t('login.failed') + t('login.key'); return; }
  sessionStorage.setItem('apiKey', key);
  const r = await api('GET', '/api/v1/session');
  if (r.status !== 200) {
    sessionStorage.removeItem('apiKey');
    out.textContent = r.status === 403 ? t('login.role') : t('login.failed') + errorText(r);
    return;
  }
  location.href = r.body.role === 'OPERATOR' ? 'operator.html' : 'merchant.html';
});
