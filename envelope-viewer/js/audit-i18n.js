// The auditor console's texts in English, French and Spanish (build.mjs checks every key and
// placeholder exists in every language). Elements carry data-i18n="key" (and data-i18n-args); a
// language switch re-renders them. Values are always written with textContent, never as markup.

export const LANGUAGES = ['en', 'fr', 'es'];

export const MESSAGES = {
  en: {
    'page.title': 'Sealpost audit console',
    'brand': 'Audit console',
    'lang.label': 'Language',
    'skip': 'Skip to content',
    'signin.title': 'Sign in with an auditor key',
    'signin.lead': 'Paste an API key with the AUDITOR role. It stays in this tab only and is forgotten when you sign out or close the tab.',
    'signin.label': 'Auditor API key',
    'signin.submit': 'Sign in',
    'signin.empty': 'Enter an API key.',
    'signin.notAuditor': 'This key is not an auditor key. Only keys with the AUDITOR role can use the audit console; sender, admin and partner keys cannot.',
    'signin.invalid': 'This key is not valid: it is unknown or was revoked.',
    'error.network': 'The server could not be reached. Try again.',
    'error.generic': 'The server answered with an error ({status}).',
    'error.busy': 'Too many requests. Try again in a moment.',
    'error.notFound': 'No such envelope in your tenant.',
    'error.badFilter': 'The server refused the filter: {detail}',
    'nav.label': 'Console',
    'nav.events': 'Events',
    'nav.evidence': 'Envelope timeline',
    'nav.signout': 'Sign out',
    'signedout': 'You are signed out. The key was forgotten.',
    'events.title': 'Audit events',
    'filter.legend': 'Filter',
    'filter.envelope': 'Envelope id',
    'filter.recipient': 'Recipient id',
    'filter.type': 'Event type',
    'filter.anyType': 'Any type',
    'filter.actor': 'Actor (e.g. api-key:…)',
    'filter.from': 'From (inclusive)',
    'filter.to': 'To (exclusive)',
    'filter.limit': 'Per page',
    'filter.submit': 'Search',
    'filter.reset': 'Clear',
    'events.caption': 'Audit events, oldest first',
    'events.none': 'No events match.',
    'events.count': { one: '{n} event on this page', other: '{n} events on this page' },
    'col.seq': 'Seq',
    'col.time': 'Time (UTC)',
    'col.type': 'Type',
    'col.envelope': 'Envelope',
    'col.recipient': 'Recipient',
    'col.actor': 'Actor',
    'col.ip': 'Address',
    'col.userAgent': 'User agent',
    'col.detail': 'Detail',
    'events.openTimeline': 'Timeline of envelope {id}',
    'page.prev': 'Previous page',
    'page.next': 'Next page',
    'page.info': 'Page {n}',
    'export.title': 'Export the whole log',
    'export.lead': 'The export is recorded as an audit event and ends at a freshly signed checkpoint. Verify it offline with sealpost audit verify.',
    'export.ndjson': 'Download NDJSON',
    'export.csv': 'Download CSV',
    'export.done': 'Downloaded {file}.',
    'evidence.title': 'Chain of custody of one envelope',
    'evidence.lead': 'Loading the evidence bundle is itself recorded as an audit event (AUDIT_EXPORTED).',
    'evidence.label': 'Envelope id',
    'evidence.load': 'Load timeline',
    'evidence.empty': 'Enter an envelope id.',
    'evidence.heading': 'Envelope {id}',
    'evidence.tenant': 'Tenant',
    'evidence.status': 'Status',
    'evidence.created': 'Bundle made',
    'evidence.recipients': 'Recipients',
    'evidence.gone': 'The envelope itself is gone (shredded or deleted); its events remain.',
    'evidence.timeline': 'Timeline',
    'evidence.pathNote': { one: 'The bundle also holds {n} other event of the tenant on the hash paths to signed checkpoints.', other: 'The bundle also holds {n} other events of the tenant on the hash paths to signed checkpoints.' },
    'evidence.verify': 'Verify in this browser',
    'evidence.download': 'Download evidence bundle',
    'evidence.print': 'Print or save as PDF',
    'evidence.recipient': 'recipient {id}',
    'evidence.by': 'by {actor}',
    'evidence.from': 'from {ip}',
    'evidence.agent': 'with {agent}',
    'verify.running': 'Checking signatures and hashes…',
    'verify.ok': 'Intact: every check passed.',
    'verify.bad': 'Not intact.',
    'verify.broken': 'First broken link: event seq {seq} ({type}).',
    'verify.brokenNoEvent': 'First broken link: seq {seq}.',
    'verify.reason': 'Reason (as the sealpost CLI words it):',
    'verify.marker': 'broken link',
    'verify.checkedTitle': 'What was checked',
    'verify.keys': 'Keys: the published JWKS of this server ({url}), fetched now, not the copy inside the bundle: {kids}.',
    'verify.format': 'The bundle format and that it names envelope {id} of tenant {tenant}.',
    'verify.checkpoints': { one: '{n} signed checkpoint (ES256) verified under those keys, at seq {seqs}.', other: '{n} signed checkpoints (ES256) verified under those keys, at seqs {seqs}.' },
    'verify.events': 'SHA-256 recomputed for {n} events of the envelope and {m} other events on their hash paths; every link to the previous hash checked.',
    'verify.complete': 'The evidence event (seq {seq}) counts every earlier event of the envelope, and the bundle holds exactly those.',
    'verify.notBundle': 'This is not an evidence bundle: {detail}',
    'verify.noKeys': 'The published keys could not be fetched; nothing was verified.',
  },
  fr: {
    'page.title': "Console d'audit Sealpost",
    'brand': "Console d'audit",
    'lang.label': 'Langue',
    'skip': 'Aller au contenu',
    'signin.title': "Se connecter avec une clé d'auditeur",
    'signin.lead': "Collez une clé d'API au rôle AUDITOR. Elle reste dans cet onglet seulement et est oubliée à la déconnexion ou à la fermeture de l'onglet.",
    'signin.label': "Clé d'API d'auditeur",
    'signin.submit': 'Se connecter',
    'signin.empty': "Saisissez une clé d'API.",
    'signin.notAuditor': "Cette clé n'est pas une clé d'auditeur. Seules les clés au rôle AUDITOR ont accès à la console d'audit ; les clés d'expéditeur, d'administrateur et de partenaire non.",
    'signin.invalid': "Cette clé n'est pas valable : elle est inconnue ou a été révoquée.",
    'error.network': 'Le serveur est injoignable. Réessayez.',
    'error.generic': 'Le serveur a répondu par une erreur ({status}).',
    'error.busy': 'Trop de requêtes. Réessayez dans un instant.',
    'error.notFound': 'Aucune enveloppe de ce nom chez votre locataire.',
    'error.badFilter': 'Le serveur a refusé le filtre : {detail}',
    'nav.label': 'Console',
    'nav.events': 'Événements',
    'nav.evidence': "Historique d'une enveloppe",
    'nav.signout': 'Se déconnecter',
    'signedout': 'Vous êtes déconnecté. La clé a été oubliée.',
    'events.title': "Événements d'audit",
    'filter.legend': 'Filtre',
    'filter.envelope': "Identifiant d'enveloppe",
    'filter.recipient': 'Identifiant de destinataire',
    'filter.type': "Type d'événement",
    'filter.anyType': 'Tous les types',
    'filter.actor': 'Acteur (p. ex. api-key:…)',
    'filter.from': 'Depuis (inclus)',
    'filter.to': "Jusqu'à (exclu)",
    'filter.limit': 'Par page',
    'filter.submit': 'Rechercher',
    'filter.reset': 'Effacer',
    'events.caption': "Événements d'audit, du plus ancien au plus récent",
    'events.none': 'Aucun événement ne correspond.',
    'events.count': { one: '{n} événement sur cette page', other: '{n} événements sur cette page' },
    'col.seq': 'N°',
    'col.time': 'Heure (UTC)',
    'col.type': 'Type',
    'col.envelope': 'Enveloppe',
    'col.recipient': 'Destinataire',
    'col.actor': 'Acteur',
    'col.ip': 'Adresse',
    'col.userAgent': 'Agent utilisateur',
    'col.detail': 'Détail',
    'events.openTimeline': "Historique de l'enveloppe {id}",
    'page.prev': 'Page précédente',
    'page.next': 'Page suivante',
    'page.info': 'Page {n}',
    'export.title': 'Exporter tout le journal',
    'export.lead': "L'export est enregistré comme événement d'audit et se termine par un point de contrôle fraîchement signé. Vérifiez-le hors ligne avec sealpost audit verify.",
    'export.ndjson': 'Télécharger en NDJSON',
    'export.csv': 'Télécharger en CSV',
    'export.done': '{file} téléchargé.',
    'evidence.title': "Chaîne de traçabilité d'une enveloppe",
    'evidence.lead': "Le chargement du dossier de preuve est lui-même enregistré comme événement d'audit (AUDIT_EXPORTED).",
    'evidence.label': "Identifiant d'enveloppe",
    'evidence.load': "Charger l'historique",
    'evidence.empty': "Saisissez un identifiant d'enveloppe.",
    'evidence.heading': 'Enveloppe {id}',
    'evidence.tenant': 'Locataire',
    'evidence.status': 'État',
    'evidence.created': 'Dossier établi le',
    'evidence.recipients': 'Destinataires',
    'evidence.gone': "L'enveloppe elle-même n'existe plus (détruite ou supprimée) ; ses événements restent.",
    'evidence.timeline': 'Historique',
    'evidence.pathNote': { one: 'Le dossier contient aussi {n} autre événement du locataire sur les chemins de hachage vers des points de contrôle signés.', other: 'Le dossier contient aussi {n} autres événements du locataire sur les chemins de hachage vers des points de contrôle signés.' },
    'evidence.verify': 'Vérifier dans ce navigateur',
    'evidence.download': 'Télécharger le dossier de preuve',
    'evidence.print': 'Imprimer ou enregistrer en PDF',
    'evidence.recipient': 'destinataire {id}',
    'evidence.by': 'par {actor}',
    'evidence.from': 'depuis {ip}',
    'evidence.agent': 'avec {agent}',
    'verify.running': 'Vérification des signatures et des empreintes…',
    'verify.ok': 'Intact : toutes les vérifications ont réussi.',
    'verify.bad': 'Pas intact.',
    'verify.broken': 'Premier maillon rompu : événement n° {seq} ({type}).',
    'verify.brokenNoEvent': 'Premier maillon rompu : n° {seq}.',
    'verify.reason': "Motif (tel que l'outil sealpost le formule) :",
    'verify.marker': 'maillon rompu',
    'verify.checkedTitle': 'Ce qui a été vérifié',
    'verify.keys': 'Clés : le JWKS publié par ce serveur ({url}), récupéré maintenant, et non la copie contenue dans le dossier : {kids}.',
    'verify.format': "Le format du dossier, et qu'il désigne l'enveloppe {id} du locataire {tenant}.",
    'verify.checkpoints': { one: '{n} point de contrôle signé (ES256) vérifié avec ces clés, au n° {seqs}.', other: '{n} points de contrôle signés (ES256) vérifiés avec ces clés, aux n° {seqs}.' },
    'verify.events': "SHA-256 recalculé pour {n} événements de l'enveloppe et {m} autres événements sur leurs chemins de hachage ; chaque lien vers l'empreinte précédente vérifié.",
    'verify.complete': "L'événement de preuve (n° {seq}) compte tous les événements antérieurs de l'enveloppe, et le dossier contient exactement ceux-là.",
    'verify.notBundle': "Ce n'est pas un dossier de preuve : {detail}",
    'verify.noKeys': "Les clés publiées n'ont pas pu être récupérées ; rien n'a été vérifié.",
  },
  es: {
    'page.title': 'Consola de auditoría de Sealpost',
    'brand': 'Consola de auditoría',
    'lang.label': 'Idioma',
    'skip': 'Ir al contenido',
    'signin.title': 'Iniciar sesión con una clave de auditor',
    'signin.lead': 'Pegue una clave de API con el rol AUDITOR. Solo se guarda en esta pestaña y se olvida al cerrar la sesión o la pestaña.',
    'signin.label': 'Clave de API de auditor',
    'signin.submit': 'Iniciar sesión',
    'signin.empty': 'Introduzca una clave de API.',
    'signin.notAuditor': 'Esta clave no es de auditor. Solo las claves con el rol AUDITOR pueden usar la consola de auditoría; las de remitente, administrador y socio no.',
    'signin.invalid': 'Esta clave no es válida: es desconocida o fue revocada.',
    'error.network': 'No se pudo contactar con el servidor. Inténtelo de nuevo.',
    'error.generic': 'El servidor respondió con un error ({status}).',
    'error.busy': 'Demasiadas solicitudes. Inténtelo de nuevo en un momento.',
    'error.notFound': 'No existe ese sobre en su inquilino.',
    'error.badFilter': 'El servidor rechazó el filtro: {detail}',
    'nav.label': 'Consola',
    'nav.events': 'Eventos',
    'nav.evidence': 'Historial de un sobre',
    'nav.signout': 'Cerrar sesión',
    'signedout': 'Ha cerrado la sesión. La clave se ha olvidado.',
    'events.title': 'Eventos de auditoría',
    'filter.legend': 'Filtro',
    'filter.envelope': 'Identificador del sobre',
    'filter.recipient': 'Identificador del destinatario',
    'filter.type': 'Tipo de evento',
    'filter.anyType': 'Cualquier tipo',
    'filter.actor': 'Actor (p. ej. api-key:…)',
    'filter.from': 'Desde (incluido)',
    'filter.to': 'Hasta (excluido)',
    'filter.limit': 'Por página',
    'filter.submit': 'Buscar',
    'filter.reset': 'Borrar',
    'events.caption': 'Eventos de auditoría, del más antiguo al más reciente',
    'events.none': 'Ningún evento coincide.',
    'events.count': { one: '{n} evento en esta página', other: '{n} eventos en esta página' },
    'col.seq': 'N.º',
    'col.time': 'Hora (UTC)',
    'col.type': 'Tipo',
    'col.envelope': 'Sobre',
    'col.recipient': 'Destinatario',
    'col.actor': 'Actor',
    'col.ip': 'Dirección',
    'col.userAgent': 'Agente de usuario',
    'col.detail': 'Detalle',
    'events.openTimeline': 'Historial del sobre {id}',
    'page.prev': 'Página anterior',
    'page.next': 'Página siguiente',
    'page.info': 'Página {n}',
    'export.title': 'Exportar todo el registro',
    'export.lead': 'La exportación queda registrada como evento de auditoría y termina en un punto de control recién firmado. Verifíquela sin conexión con sealpost audit verify.',
    'export.ndjson': 'Descargar NDJSON',
    'export.csv': 'Descargar CSV',
    'export.done': 'Descargado {file}.',
    'evidence.title': 'Cadena de custodia de un sobre',
    'evidence.lead': 'Cargar el paquete de pruebas queda registrado a su vez como evento de auditoría (AUDIT_EXPORTED).',
    'evidence.label': 'Identificador del sobre',
    'evidence.load': 'Cargar historial',
    'evidence.empty': 'Introduzca un identificador de sobre.',
    'evidence.heading': 'Sobre {id}',
    'evidence.tenant': 'Inquilino',
    'evidence.status': 'Estado',
    'evidence.created': 'Paquete creado',
    'evidence.recipients': 'Destinatarios',
    'evidence.gone': 'El sobre ya no existe (destruido o eliminado); sus eventos permanecen.',
    'evidence.timeline': 'Historial',
    'evidence.pathNote': { one: 'El paquete contiene además {n} evento más del inquilino en las rutas de hash hacia puntos de control firmados.', other: 'El paquete contiene además {n} eventos más del inquilino en las rutas de hash hacia puntos de control firmados.' },
    'evidence.verify': 'Verificar en este navegador',
    'evidence.download': 'Descargar el paquete de pruebas',
    'evidence.print': 'Imprimir o guardar como PDF',
    'evidence.recipient': 'destinatario {id}',
    'evidence.by': 'por {actor}',
    'evidence.from': 'desde {ip}',
    'evidence.agent': 'con {agent}',
    'verify.running': 'Comprobando firmas y hashes…',
    'verify.ok': 'Intacto: todas las comprobaciones son correctas.',
    'verify.bad': 'No está intacto.',
    'verify.broken': 'Primer eslabón roto: evento n.º {seq} ({type}).',
    'verify.brokenNoEvent': 'Primer eslabón roto: n.º {seq}.',
    'verify.reason': 'Motivo (tal como lo formula la herramienta sealpost):',
    'verify.marker': 'eslabón roto',
    'verify.checkedTitle': 'Qué se comprobó',
    'verify.keys': 'Claves: el JWKS publicado por este servidor ({url}), obtenido ahora, no la copia incluida en el paquete: {kids}.',
    'verify.format': 'El formato del paquete y que nombra el sobre {id} del inquilino {tenant}.',
    'verify.checkpoints': { one: '{n} punto de control firmado (ES256) verificado con esas claves, en el n.º {seqs}.', other: '{n} puntos de control firmados (ES256) verificados con esas claves, en los n.º {seqs}.' },
    'verify.events': 'SHA-256 recalculado para {n} eventos del sobre y {m} eventos más en sus rutas de hash; comprobado cada enlace con el hash anterior.',
    'verify.complete': 'El evento de prueba (n.º {seq}) cuenta todos los eventos anteriores del sobre, y el paquete contiene exactamente esos.',
    'verify.notBundle': 'No es un paquete de pruebas: {detail}',
    'verify.noKeys': 'No se pudieron obtener las claves publicadas; no se verificó nada.',
  },
};

let current = 'en';

export function preferredLanguage(tags = navigator.languages || [navigator.language]) {
  for (const tag of tags) {
    const base = String(tag || '').toLowerCase().split('-')[0];
    if (LANGUAGES.includes(base)) return base;
  }
  return 'en';
}

export function language() {
  return current;
}

/** A time (RFC 3339) as the reader's language writes it, in UTC. */
export function formatTime(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return new Intl.DateTimeFormat(current, { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' }).format(d);
}

export function t(key, args = {}) {
  let msg = MESSAGES[current][key] ?? MESSAGES.en[key] ?? key;
  if (typeof msg === 'object') msg = new Intl.PluralRules(current).select(Number(args.n)) === 'one' ? msg.one : msg.other;
  return msg.replace(/\{(\w+)\}/g, (_, name) => (name in args ? String(args[name]) : `{${name}}`));
}

export function setText(el, key, args) {
  el.dataset.i18n = key;
  if (args) el.dataset.i18nArgs = JSON.stringify(args);
  else delete el.dataset.i18nArgs;
  el.textContent = t(key, args);
}

export function setAttr(el, attr, key, args) {
  el.dataset.i18nAttr = attr;
  el.dataset.i18nAttrKey = key;
  if (args) el.dataset.i18nAttrArgs = JSON.stringify(args);
  el.setAttribute(attr, t(key, args));
}

const argsOf = (json) => {
  try {
    return json ? JSON.parse(json) : undefined;
  } catch {
    return undefined;
  }
};

export function setLanguage(lang, root = document) {
  current = LANGUAGES.includes(lang) ? lang : 'en';
  document.documentElement.lang = current;
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n, argsOf(el.dataset.i18nArgs));
  for (const el of root.querySelectorAll('[data-i18n-attr]')) {
    el.setAttribute(el.dataset.i18nAttr, t(el.dataset.i18nAttrKey, argsOf(el.dataset.i18nAttrArgs)));
  }
  for (const el of root.querySelectorAll('time[datetime]')) el.textContent = formatTime(el.getAttribute('datetime'));
  document.title = t('page.title');
}
