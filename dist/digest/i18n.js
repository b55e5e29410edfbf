import { t } from '../bot/i18n.js';
/** The app-wide translator (loads `locales/` once). */
export function digestTranslator() {
    return t;
}
//# sourceMappingURL=i18n.js.map