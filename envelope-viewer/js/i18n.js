// Texts in English, French and Spanish. Elements carry data-i18n="key" (and data-i18n-args as JSON);
// switching the language re-renders every such element, dates and sizes included.
// Values are always written with textContent: a hint, a name or an organisation is never markup.

import { createI18n } from './i18n-core.js';

export const LANGUAGES = ['en', 'fr', 'es'];

const plural = (one, other) => ({ one, other });

export const MESSAGES = {
  en: {
    'page.title': 'Sealed message',
    'brand': 'Sealed message',
    'lang.label': 'Language',
    'start.title': 'You have received a sealed message',
    'start.lead':
      'It was encrypted for you alone and opens here, in your browser. Nobody along the way, not even the service that delivers it, can read it.',
    'start.factor':
      'First we confirm that it is you: depending on how the sender protected the message, we will email you a one-time code or ask for the answer the sender agreed with you.',
    'start.continue': 'Continue',
    'start.note': 'Nothing is sent until you choose Continue.',
    'code.title': 'Enter the code we emailed you',
    'code.lead': 'We sent a one-time code to {hint}. It is valid for a few minutes.',
    'code.leadNoHint': 'We sent a one-time code to your email address. It is valid for a few minutes.',
    'code.label': 'One-time code',
    'code.help': 'Check your spam folder if it has not arrived within a minute.',
    'code.submit': 'Open the message',
    'code.resend': 'Send me a new code',
    'code.resent': 'A new code is on its way. Use the most recent one.',
    'code.empty': 'Enter the code from the email.',
    'secret.title': "Answer the sender's question",
    'secret.lead':
      'The sender protected this message with an answer they gave you separately, for example by phone or by letter.',
    'secret.hint': 'Hint from the sender',
    'secret.noHint': 'The sender gave no hint.',
    'secret.label': 'Your answer',
    'secret.show': 'Show',
    'secret.hide': 'Hide',
    'secret.submit': 'Open the message',
    'secret.empty': 'Enter your answer.',
    'status.starting': 'One moment…',
    'status.checking': 'Checking…',
    'status.opening': 'Opening the message in your browser…',
    'status.opened': 'The message is open.',
    'message.sealedBy': 'Sealed by {org}',
    'message.sealedDetail':
      'The seal checks out: this message comes from {org} and nothing in it has changed since it was sealed.',
    'message.created': 'Sealed on {date}',
    'message.expires': 'Available until {date}',
    'message.attachments': 'Attachments',
    'message.noAttachments': 'This message has no attachments.',
    'message.closeHint': 'Everything was decrypted in this browser only. When you are done, close this tab.',
    'att.meta': '{size} · {type}',
    'att.download': 'Decrypt and download',
    'att.downloadLabel': 'Decrypt and download {name}',
    'att.progress': 'Decrypting {name}: {percent}',
    'att.ready': 'Decrypted and checked.',
    'att.save': 'Save {name}',
    'att.failed': 'This file could not be opened: it was changed or damaged. Nothing was saved.',
    'att.retry': 'Try again',
    'att.readyAnnounce': '{name} is decrypted and checked: you can save it now.',
    'att.failedAnnounce': '{name} could not be opened.',
    'att.saved': 'Saved as {name} and checked.',
    'att.savedAnnounce': '{name} is saved and checked.',
    'att.downloaded': 'Checked: {name} is in your browser\'s downloads.',
    'att.downloadedAnnounce': '{name} is checked and in your downloads.',
    'att.failedFile':
      'This file was changed or damaged, so we stopped and deleted what had been written. Nothing was saved.',
    'att.failedDownload':
      'This file was changed or damaged, so we stopped the download: your browser shows it as failed. Do not use any partial file.',
    'att.saveFailed': 'The file could not be written. Check that there is enough space, then try again.',
    'att.downloadStopped': 'The download stopped before it finished. Try again.',
    'err.wrongCode': 'That code is not correct.',
    'err.wrongCodeLeft': plural('That code is not correct. 1 attempt left.', 'That code is not correct. {n} attempts left.'),
    'err.wrongSecret': 'That answer is not correct.',
    'err.wrongSecretLeft': plural('That answer is not correct. 1 attempt left.', 'That answer is not correct. {n} attempts left.'),
    'err.rateLimited': 'Too many requests. Please wait a moment and try again.',
    'err.rateLimitedFor': plural('Too many requests. Please wait 1 second and try again.', 'Too many requests. Please wait {n} seconds and try again.'),
    'err.rateLimitedMinutes': plural('Too many requests. Please wait 1 minute and try again.', 'Too many requests. Please wait {n} minutes and try again.'),
    'err.network': 'We could not reach the service. Check your connection and try again.',
    'err.server': 'Something went wrong on our side. Please try again in a moment.',
    'problem.linkIncomplete.title': 'This link is incomplete',
    'problem.linkIncomplete.body':
      'The part of the link that unlocks the message is missing. Open the link from your email again; if you copied it, copy all of it. For your safety this page removes that part from the address bar, so reloading the page is not enough.',
    'problem.notFound.title': 'We cannot find this message',
    'problem.notFound.body':
      'The link may be wrong, or the sender may have sent you a newer link. Check your most recent email from the sender.',
    'problem.locked.title': 'This message is locked',
    'problem.locked.body':
      'Too many wrong answers were entered, so the message was locked to protect it. Ask the sender to send it to you again.',
    'problem.expired.title': 'This message has expired',
    'problem.expired.body':
      'It was available for a limited time and has now been deleted for good. Ask the sender to send it again if you still need it.',
    'problem.revoked.title': 'The sender withdrew this message',
    'problem.revoked.body': 'It has been deleted for good. Contact the sender if you need it.',
    'problem.opensUsed.title': 'This message cannot be opened again',
    'problem.opensUsed.body':
      'It has already been opened as many times as the sender allowed. Ask the sender to send it again if you need it.',
    'problem.gone.title': 'This message is no longer available',
    'problem.gone.body': 'It has expired or the sender withdrew it. Ask the sender to send it again if you need it.',
    'problem.sessionEnded.title': 'Your session has ended',
    'problem.sessionEnded.body':
      'For your security, access lasts only a short time. Open the link from your email again to continue.',
    'problem.signature.title': 'Warning: we cannot confirm who sent this message',
    'problem.signature.body':
      'Its seal does not check out, so it may not come from the organisation it names, or it may have been changed. For your safety it is not shown. Do not act on it: contact the organisation through a phone number or address you already know.',
    'problem.damaged.title': 'This message could not be opened',
    'problem.damaged.body':
      'Its encrypted data is damaged or does not match this link. Open the link from your email again; if this keeps happening, contact the sender.',
    'problem.network.title': 'We could not reach the service',
    'problem.network.body': 'Check your internet connection, then open the link from your email again.',
    'problem.server.title': 'Something went wrong on our side',
    'problem.server.body': 'Please open the link from your email again in a few minutes.',
    'problem.browser.title': 'This browser cannot open sealed messages',
    'problem.browser.body':
      'It lacks the security features needed to decrypt the message in the page. Please use an up-to-date Firefox, Chrome, Edge or Safari.',
    'problem.technical': 'Technical detail: {detail}',
    'reply.title': 'Reply securely',
    'reply.lead':
      'Your reply is encrypted in this browser so that only {org} can read it. Nobody along the way, not even the service that carries it, can read it.',
    'reply.remaining': plural('You can send 1 more reply.', 'You can send {n} more replies.'),
    'reply.none': 'You have sent as many replies as this message allows.',
    'reply.maxSize': 'Message and files together: up to {size}.',
    'reply.messageLabel': 'Your message',
    'reply.filesLabel': 'Attach files (optional)',
    'reply.filesHelp': 'Files are encrypted here, in your browser, before they are sent.',
    'reply.fileRow': '{name} · {size}',
    'reply.send': 'Encrypt and send',
    'reply.encrypting': 'Encrypting: {percent}',
    'reply.uploading': 'Sending: {percent}',
    'reply.encryptingAnnounce': 'Encrypting your reply in this browser…',
    'reply.sendingAnnounce': 'Sending your encrypted reply…',
    'reply.sentTitle': 'Your reply was sent',
    'reply.sent': 'Received on {date}. Reference: {id}',
    'reply.receiptChecking': "Checking the server's signed receipt…",
    'reply.receiptOk': 'The server signed a receipt for exactly the message and files you sent.',
    'reply.receiptBad': "The server's receipt does not match what you sent. Keep the reference above and tell {org}.",
    'reply.receiptUnchecked': "The server's receipt could not be checked right now; your reply was sent.",
    'reply.sentNoDate': 'Reference: {id}',
    'reply.sentAnnounce': 'Your reply was sent.',
    'reply.empty': 'Write a message or attach a file.',
    'reply.tooManyFiles': plural('You can attach at most 1 file.', 'You can attach at most {n} files.'),
    'reply.tooLarge': 'Your reply is too large: message and files together can be at most {size}. Nothing was sent.',
    'reply.messageTooLong': 'Your message is too long. Shorten it or attach it as a file. Nothing was sent.',
    'reply.err.file': 'The file {name} could not be read: it may have been moved or changed. Choose it again. Nothing was sent.',
    'reply.err.sessionEnded':
      'Your session has ended, so your reply was not sent. Copy your message if you want to keep it, then open the link from your email again to reply.',
    'reply.err.limit': 'You have already sent as many replies as this message allows. This reply was not sent.',
    'reply.err.tooLarge': 'The service refused your reply as too large (at most {size}). Nothing was sent.',
    'reply.err.notAllowed': 'The sender no longer accepts replies to this message. Your reply was not sent.',
    'reply.err.gone': 'This message is no longer available, so your reply was not sent.',
    'reply.err.rateLimited': 'Too many requests: your reply was not sent. Please wait a moment and try again.',
    'reply.err.network':
      'We could not reach the service, so we cannot confirm that your reply was sent. Check your connection and try again.',
    'reply.err.server': 'Something went wrong on our side: your reply was not sent. Please try again in a moment.',
  },
  fr: {
    'page.title': 'Message scellé',
    'brand': 'Message scellé',
    'lang.label': 'Langue',
    'start.title': 'Vous avez reçu un message scellé',
    'start.lead':
      "Il a été chiffré pour vous seul et s'ouvre ici, dans votre navigateur. Personne en chemin, pas même le service qui le transmet, ne peut le lire.",
    'start.factor':
      "Nous vérifions d'abord qu'il s'agit bien de vous : selon la protection choisie par l'expéditeur, nous vous enverrons un code à usage unique par e-mail ou nous vous demanderons la réponse convenue avec lui.",
    'start.continue': 'Continuer',
    'start.note': "Rien n'est envoyé tant que vous n'avez pas choisi Continuer.",
    'code.title': 'Saisissez le code reçu par e-mail',
    'code.lead': 'Nous avons envoyé un code à usage unique à {hint}. Il est valable quelques minutes.',
    'code.leadNoHint':
      'Nous avons envoyé un code à usage unique à votre adresse e-mail. Il est valable quelques minutes.',
    'code.label': 'Code à usage unique',
    'code.help': "Vérifiez vos courriers indésirables s'il n'est pas arrivé d'ici une minute.",
    'code.submit': 'Ouvrir le message',
    'code.resend': "M'envoyer un nouveau code",
    'code.resent': 'Un nouveau code est en route. Utilisez le plus récent.',
    'code.empty': "Saisissez le code reçu par e-mail.",
    'secret.title': "Répondez à la question de l'expéditeur",
    'secret.lead':
      "L'expéditeur a protégé ce message par une réponse qu'il vous a communiquée séparément, par exemple par téléphone ou par courrier.",
    'secret.hint': "Indice de l'expéditeur",
    'secret.noHint': "L'expéditeur n'a pas donné d'indice.",
    'secret.label': 'Votre réponse',
    'secret.show': 'Afficher',
    'secret.hide': 'Masquer',
    'secret.submit': 'Ouvrir le message',
    'secret.empty': 'Saisissez votre réponse.',
    'status.starting': 'Un instant…',
    'status.checking': 'Vérification…',
    'status.opening': 'Ouverture du message dans votre navigateur…',
    'status.opened': 'Le message est ouvert.',
    'message.sealedBy': 'Scellé par {org}',
    'message.sealedDetail':
      "Le sceau est valide : ce message provient de {org} et rien n'y a été modifié depuis qu'il a été scellé.",
    'message.created': 'Scellé le {date}',
    'message.expires': "Disponible jusqu'au {date}",
    'message.attachments': 'Pièces jointes',
    'message.noAttachments': "Ce message n'a pas de pièce jointe.",
    'message.closeHint':
      'Tout a été déchiffré uniquement dans ce navigateur. Quand vous avez terminé, fermez cet onglet.',
    'att.meta': '{size} · {type}',
    'att.download': 'Déchiffrer et télécharger',
    'att.downloadLabel': 'Déchiffrer et télécharger {name}',
    'att.progress': 'Déchiffrement de {name} : {percent}',
    'att.ready': 'Déchiffré et vérifié.',
    'att.save': 'Enregistrer {name}',
    'att.failed': "Ce fichier n'a pas pu être ouvert : il a été modifié ou endommagé. Rien n'a été enregistré.",
    'att.retry': 'Réessayer',
    'att.readyAnnounce': '{name} est déchiffré et vérifié : vous pouvez l\'enregistrer.',
    'att.failedAnnounce': "{name} n'a pas pu être ouvert.",
    'att.saved': 'Enregistré sous {name} et vérifié.',
    'att.savedAnnounce': '{name} est enregistré et vérifié.',
    'att.downloaded': 'Vérifié : {name} est dans les téléchargements de votre navigateur.',
    'att.downloadedAnnounce': '{name} est vérifié et dans vos téléchargements.',
    'att.failedFile':
      "Ce fichier a été modifié ou endommagé : nous avons arrêté et supprimé ce qui avait été écrit. Rien n'a été enregistré.",
    'att.failedDownload':
      "Ce fichier a été modifié ou endommagé : nous avons arrêté le téléchargement, que votre navigateur indique comme échoué. N'utilisez aucun fichier partiel.",
    'att.saveFailed': "Le fichier n'a pas pu être écrit. Vérifiez qu'il reste assez d'espace, puis réessayez.",
    'att.downloadStopped': "Le téléchargement s'est arrêté avant la fin. Réessayez.",
    'err.wrongCode': "Ce code n'est pas correct.",
    'err.wrongCodeLeft': plural("Ce code n'est pas correct. Il reste 1 essai.", "Ce code n'est pas correct. Il reste {n} essais."),
    'err.wrongSecret': "Cette réponse n'est pas correcte.",
    'err.wrongSecretLeft': plural(
      "Cette réponse n'est pas correcte. Il reste 1 essai.",
      "Cette réponse n'est pas correcte. Il reste {n} essais.",
    ),
    'err.rateLimited': 'Trop de demandes. Patientez un instant puis réessayez.',
    'err.rateLimitedFor': plural('Trop de demandes. Patientez 1 seconde puis réessayez.', 'Trop de demandes. Patientez {n} secondes puis réessayez.'),
    'err.rateLimitedMinutes': plural('Trop de demandes. Patientez 1 minute puis réessayez.', 'Trop de demandes. Patientez {n} minutes puis réessayez.'),
    'err.network': "Impossible de joindre le service. Vérifiez votre connexion et réessayez.",
    'err.server': 'Un problème est survenu de notre côté. Réessayez dans un instant.',
    'problem.linkIncomplete.title': 'Ce lien est incomplet',
    'problem.linkIncomplete.body':
      "La partie du lien qui déverrouille le message manque. Rouvrez le lien depuis votre e-mail ; si vous l'avez copié, copiez-le en entier. Par sécurité, cette page retire cette partie de la barre d'adresse : recharger la page ne suffit donc pas.",
    'problem.notFound.title': 'Nous ne trouvons pas ce message',
    'problem.notFound.body':
      "Le lien est peut-être erroné, ou l'expéditeur vous a envoyé un lien plus récent. Consultez le dernier e-mail de l'expéditeur.",
    'problem.locked.title': 'Ce message est verrouillé',
    'problem.locked.body':
      "Trop de réponses erronées ont été saisies : le message a été verrouillé pour le protéger. Demandez à l'expéditeur de vous le renvoyer.",
    'problem.expired.title': 'Ce message a expiré',
    'problem.expired.body':
      "Il était disponible pour une durée limitée et a été supprimé définitivement. Demandez à l'expéditeur de vous le renvoyer si vous en avez encore besoin.",
    'problem.revoked.title': "L'expéditeur a retiré ce message",
    'problem.revoked.body': "Il a été supprimé définitivement. Contactez l'expéditeur si vous en avez besoin.",
    'problem.opensUsed.title': 'Ce message ne peut plus être ouvert',
    'problem.opensUsed.body':
      "Il a déjà été ouvert autant de fois que l'expéditeur l'a permis. Demandez-lui de vous le renvoyer si vous en avez besoin.",
    'problem.gone.title': "Ce message n'est plus disponible",
    'problem.gone.body':
      "Il a expiré ou l'expéditeur l'a retiré. Demandez-lui de vous le renvoyer si vous en avez besoin.",
    'problem.sessionEnded.title': 'Votre session a pris fin',
    'problem.sessionEnded.body':
      "Par sécurité, l'accès ne dure que peu de temps. Rouvrez le lien depuis votre e-mail pour continuer.",
    'problem.signature.title': "Attention : nous ne pouvons pas confirmer l'expéditeur de ce message",
    'problem.signature.body':
      "Son sceau n'est pas valide : il ne provient peut-être pas de l'organisation qu'il nomme, ou il a été modifié. Par sécurité, il n'est pas affiché. N'y donnez pas suite : contactez l'organisation par un numéro ou une adresse que vous connaissez déjà.",
    'problem.damaged.title': "Ce message n'a pas pu être ouvert",
    'problem.damaged.body':
      "Ses données chiffrées sont endommagées ou ne correspondent pas à ce lien. Rouvrez le lien depuis votre e-mail ; si le problème persiste, contactez l'expéditeur.",
    'problem.network.title': 'Impossible de joindre le service',
    'problem.network.body': 'Vérifiez votre connexion internet, puis rouvrez le lien depuis votre e-mail.',
    'problem.server.title': 'Un problème est survenu de notre côté',
    'problem.server.body': 'Rouvrez le lien depuis votre e-mail dans quelques minutes.',
    'problem.browser.title': 'Ce navigateur ne peut pas ouvrir les messages scellés',
    'problem.browser.body':
      'Il ne dispose pas des fonctions de sécurité nécessaires pour déchiffrer le message dans la page. Utilisez une version récente de Firefox, Chrome, Edge ou Safari.',
    'problem.technical': 'Détail technique : {detail}',
    'reply.title': 'Répondre de façon sécurisée',
    'reply.lead':
      "Votre réponse est chiffrée dans ce navigateur pour que seul {org} puisse la lire. Personne en chemin, pas même le service qui la transmet, ne peut la lire.",
    'reply.remaining': plural('Vous pouvez encore envoyer 1 réponse.', 'Vous pouvez encore envoyer {n} réponses.'),
    'reply.none': 'Vous avez envoyé autant de réponses que ce message le permet.',
    'reply.maxSize': "Message et fichiers ensemble : jusqu'à {size}.",
    'reply.messageLabel': 'Votre message',
    'reply.filesLabel': 'Joindre des fichiers (facultatif)',
    'reply.filesHelp': "Les fichiers sont chiffrés ici, dans votre navigateur, avant d'être envoyés.",
    'reply.fileRow': '{name} · {size}',
    'reply.send': 'Chiffrer et envoyer',
    'reply.encrypting': 'Chiffrement : {percent}',
    'reply.uploading': 'Envoi : {percent}',
    'reply.encryptingAnnounce': 'Chiffrement de votre réponse dans ce navigateur…',
    'reply.sendingAnnounce': 'Envoi de votre réponse chiffrée…',
    'reply.sentTitle': 'Votre réponse a été envoyée',
    'reply.sent': 'Reçue le {date}. Référence : {id}',
    'reply.receiptChecking': 'Vérification du reçu signé par le serveur…',
    'reply.receiptOk': 'Le serveur a signé un reçu pour exactement le message et les fichiers envoyés.',
    'reply.receiptBad': 'Le reçu du serveur ne correspond pas à ce que vous avez envoyé. Conservez la référence ci-dessus et prévenez {org}.',
    'reply.receiptUnchecked': "Le reçu du serveur n'a pas pu être vérifié pour l'instant ; votre réponse a bien été envoyée.",
    'reply.sentNoDate': 'Référence : {id}',
    'reply.sentAnnounce': 'Votre réponse a été envoyée.',
    'reply.empty': 'Écrivez un message ou joignez un fichier.',
    'reply.tooManyFiles': plural('Vous pouvez joindre 1 fichier au plus.', 'Vous pouvez joindre {n} fichiers au plus.'),
    'reply.tooLarge':
      "Votre réponse est trop volumineuse : message et fichiers ensemble ne peuvent dépasser {size}. Rien n'a été envoyé.",
    'reply.messageTooLong': "Votre message est trop long. Raccourcissez-le ou joignez-le en fichier. Rien n'a été envoyé.",
    'reply.err.file':
      "Le fichier {name} n'a pas pu être lu : il a peut-être été déplacé ou modifié. Choisissez-le à nouveau. Rien n'a été envoyé.",
    'reply.err.sessionEnded':
      "Votre session a pris fin : votre réponse n'a pas été envoyée. Copiez votre message si vous voulez le garder, puis rouvrez le lien depuis votre e-mail pour répondre.",
    'reply.err.limit': "Vous avez déjà envoyé autant de réponses que ce message le permet. Cette réponse n'a pas été envoyée.",
    'reply.err.tooLarge': "Le service a refusé votre réponse, trop volumineuse ({size} au plus). Rien n'a été envoyé.",
    'reply.err.notAllowed': "L'expéditeur n'accepte plus de réponses à ce message. Votre réponse n'a pas été envoyée.",
    'reply.err.gone': "Ce message n'est plus disponible : votre réponse n'a pas été envoyée.",
    'reply.err.rateLimited': "Trop de demandes : votre réponse n'a pas été envoyée. Patientez un instant puis réessayez.",
    'reply.err.network':
      "Impossible de joindre le service : nous ne pouvons pas confirmer l'envoi de votre réponse. Vérifiez votre connexion et réessayez.",
    'reply.err.server': "Un problème est survenu de notre côté : votre réponse n'a pas été envoyée. Réessayez dans un instant.",
  },
  es: {
    'page.title': 'Mensaje sellado',
    'brand': 'Mensaje sellado',
    'lang.label': 'Idioma',
    'start.title': 'Ha recibido un mensaje sellado',
    'start.lead':
      'Se cifró solo para usted y se abre aquí, en su navegador. Nadie en el camino, ni siquiera el servicio que lo entrega, puede leerlo.',
    'start.factor':
      'Primero confirmamos que es usted: según cómo lo haya protegido el remitente, le enviaremos un código de un solo uso por correo electrónico o le pediremos la respuesta que acordó con él.',
    'start.continue': 'Continuar',
    'start.note': 'No se envía nada hasta que elija Continuar.',
    'code.title': 'Introduzca el código que le enviamos',
    'code.lead': 'Enviamos un código de un solo uso a {hint}. Es válido durante unos minutos.',
    'code.leadNoHint':
      'Enviamos un código de un solo uso a su dirección de correo electrónico. Es válido durante unos minutos.',
    'code.label': 'Código de un solo uso',
    'code.help': 'Revise la carpeta de correo no deseado si no ha llegado en un minuto.',
    'code.submit': 'Abrir el mensaje',
    'code.resend': 'Enviarme un código nuevo',
    'code.resent': 'Un código nuevo va en camino. Use el más reciente.',
    'code.empty': 'Introduzca el código del correo electrónico.',
    'secret.title': 'Responda a la pregunta del remitente',
    'secret.lead':
      'El remitente protegió este mensaje con una respuesta que le comunicó por separado, por ejemplo por teléfono o por carta.',
    'secret.hint': 'Pista del remitente',
    'secret.noHint': 'El remitente no dejó ninguna pista.',
    'secret.label': 'Su respuesta',
    'secret.show': 'Mostrar',
    'secret.hide': 'Ocultar',
    'secret.submit': 'Abrir el mensaje',
    'secret.empty': 'Introduzca su respuesta.',
    'status.starting': 'Un momento…',
    'status.checking': 'Comprobando…',
    'status.opening': 'Abriendo el mensaje en su navegador…',
    'status.opened': 'El mensaje está abierto.',
    'message.sealedBy': 'Sellado por {org}',
    'message.sealedDetail':
      'El sello es válido: este mensaje procede de {org} y nada en él ha cambiado desde que se selló.',
    'message.created': 'Sellado el {date}',
    'message.expires': 'Disponible hasta el {date}',
    'message.attachments': 'Archivos adjuntos',
    'message.noAttachments': 'Este mensaje no tiene archivos adjuntos.',
    'message.closeHint': 'Todo se descifró solo en este navegador. Cuando termine, cierre esta pestaña.',
    'att.meta': '{size} · {type}',
    'att.download': 'Descifrar y descargar',
    'att.downloadLabel': 'Descifrar y descargar {name}',
    'att.progress': 'Descifrando {name}: {percent}',
    'att.ready': 'Descifrado y comprobado.',
    'att.save': 'Guardar {name}',
    'att.failed': 'No se pudo abrir este archivo: fue modificado o está dañado. No se guardó nada.',
    'att.retry': 'Intentar de nuevo',
    'att.readyAnnounce': '{name} está descifrado y comprobado: ya puede guardarlo.',
    'att.failedAnnounce': 'No se pudo abrir {name}.',
    'att.saved': 'Guardado como {name} y comprobado.',
    'att.savedAnnounce': '{name} está guardado y comprobado.',
    'att.downloaded': 'Comprobado: {name} está en las descargas de su navegador.',
    'att.downloadedAnnounce': '{name} está comprobado y en sus descargas.',
    'att.failedFile':
      'Este archivo fue modificado o está dañado: detuvimos y borramos lo que se había escrito. No se guardó nada.',
    'att.failedDownload':
      'Este archivo fue modificado o está dañado: detuvimos la descarga y su navegador la muestra como fallida. No use ningún archivo parcial.',
    'att.saveFailed': 'No se pudo escribir el archivo. Compruebe que haya espacio suficiente y vuelva a intentarlo.',
    'att.downloadStopped': 'La descarga se detuvo antes de terminar. Vuelva a intentarlo.',
    'err.wrongCode': 'Ese código no es correcto.',
    'err.wrongCodeLeft': plural('Ese código no es correcto. Queda 1 intento.', 'Ese código no es correcto. Quedan {n} intentos.'),
    'err.wrongSecret': 'Esa respuesta no es correcta.',
    'err.wrongSecretLeft': plural('Esa respuesta no es correcta. Queda 1 intento.', 'Esa respuesta no es correcta. Quedan {n} intentos.'),
    'err.rateLimited': 'Demasiadas solicitudes. Espere un momento e inténtelo de nuevo.',
    'err.rateLimitedFor': plural('Demasiadas solicitudes. Espere 1 segundo e inténtelo de nuevo.', 'Demasiadas solicitudes. Espere {n} segundos e inténtelo de nuevo.'),
    'err.rateLimitedMinutes': plural('Demasiadas solicitudes. Espere 1 minuto e inténtelo de nuevo.', 'Demasiadas solicitudes. Espere {n} minutos e inténtelo de nuevo.'),
    'err.network': 'No pudimos conectar con el servicio. Compruebe su conexión e inténtelo de nuevo.',
    'err.server': 'Algo salió mal por nuestra parte. Inténtelo de nuevo en un momento.',
    'problem.linkIncomplete.title': 'Este enlace está incompleto',
    'problem.linkIncomplete.body':
      'Falta la parte del enlace que desbloquea el mensaje. Vuelva a abrir el enlace desde su correo; si lo copió, cópielo entero. Por seguridad, esta página quita esa parte de la barra de direcciones, así que recargar la página no basta.',
    'problem.notFound.title': 'No encontramos este mensaje',
    'problem.notFound.body':
      'Puede que el enlace sea incorrecto o que el remitente le haya enviado uno más reciente. Revise el último correo del remitente.',
    'problem.locked.title': 'Este mensaje está bloqueado',
    'problem.locked.body':
      'Se introdujeron demasiadas respuestas incorrectas, así que el mensaje se bloqueó para protegerlo. Pida al remitente que se lo vuelva a enviar.',
    'problem.expired.title': 'Este mensaje ha caducado',
    'problem.expired.body':
      'Estaba disponible durante un tiempo limitado y se ha eliminado definitivamente. Pida al remitente que se lo vuelva a enviar si aún lo necesita.',
    'problem.revoked.title': 'El remitente retiró este mensaje',
    'problem.revoked.body': 'Se ha eliminado definitivamente. Póngase en contacto con el remitente si lo necesita.',
    'problem.opensUsed.title': 'Este mensaje ya no se puede abrir',
    'problem.opensUsed.body':
      'Ya se abrió tantas veces como permitió el remitente. Pídale que se lo vuelva a enviar si lo necesita.',
    'problem.gone.title': 'Este mensaje ya no está disponible',
    'problem.gone.body': 'Ha caducado o el remitente lo retiró. Pídale que se lo vuelva a enviar si lo necesita.',
    'problem.sessionEnded.title': 'Su sesión ha terminado',
    'problem.sessionEnded.body':
      'Por seguridad, el acceso dura poco tiempo. Vuelva a abrir el enlace desde su correo para continuar.',
    'problem.signature.title': 'Atención: no podemos confirmar quién envió este mensaje',
    'problem.signature.body':
      'Su sello no es válido, así que puede que no proceda de la organización que indica o que haya sido modificado. Por su seguridad, no se muestra. No actúe en consecuencia: contacte con la organización por un teléfono o una dirección que ya conozca.',
    'problem.damaged.title': 'No se pudo abrir este mensaje',
    'problem.damaged.body':
      'Sus datos cifrados están dañados o no corresponden a este enlace. Vuelva a abrir el enlace desde su correo; si sigue ocurriendo, contacte con el remitente.',
    'problem.network.title': 'No pudimos conectar con el servicio',
    'problem.network.body': 'Compruebe su conexión a internet y vuelva a abrir el enlace desde su correo.',
    'problem.server.title': 'Algo salió mal por nuestra parte',
    'problem.server.body': 'Vuelva a abrir el enlace desde su correo dentro de unos minutos.',
    'problem.browser.title': 'Este navegador no puede abrir mensajes sellados',
    'problem.browser.body':
      'Le faltan las funciones de seguridad necesarias para descifrar el mensaje en la página. Use una versión reciente de Firefox, Chrome, Edge o Safari.',
    'problem.technical': 'Detalle técnico: {detail}',
    'reply.title': 'Responder de forma segura',
    'reply.lead':
      'Su respuesta se cifra en este navegador para que solo {org} pueda leerla. Nadie en el camino, ni siquiera el servicio que la transporta, puede leerla.',
    'reply.remaining': plural('Puede enviar 1 respuesta más.', 'Puede enviar {n} respuestas más.'),
    'reply.none': 'Ya envió tantas respuestas como permite este mensaje.',
    'reply.maxSize': 'Mensaje y archivos juntos: hasta {size}.',
    'reply.messageLabel': 'Su mensaje',
    'reply.filesLabel': 'Adjuntar archivos (opcional)',
    'reply.filesHelp': 'Los archivos se cifran aquí, en su navegador, antes de enviarse.',
    'reply.fileRow': '{name} · {size}',
    'reply.send': 'Cifrar y enviar',
    'reply.encrypting': 'Cifrando: {percent}',
    'reply.uploading': 'Enviando: {percent}',
    'reply.encryptingAnnounce': 'Cifrando su respuesta en este navegador…',
    'reply.sendingAnnounce': 'Enviando su respuesta cifrada…',
    'reply.sentTitle': 'Su respuesta se envió',
    'reply.sent': 'Recibida el {date}. Referencia: {id}',
    'reply.receiptChecking': 'Comprobando el recibo firmado por el servidor…',
    'reply.receiptOk': 'El servidor firmó un recibo exactamente por el mensaje y los archivos que envió.',
    'reply.receiptBad': 'El recibo del servidor no coincide con lo que envió. Guarde la referencia de arriba e informe a {org}.',
    'reply.receiptUnchecked': 'No se pudo comprobar el recibo del servidor en este momento; su respuesta se envió.',
    'reply.sentNoDate': 'Referencia: {id}',
    'reply.sentAnnounce': 'Su respuesta se envió.',
    'reply.empty': 'Escriba un mensaje o adjunte un archivo.',
    'reply.tooManyFiles': plural('Puede adjuntar 1 archivo como máximo.', 'Puede adjuntar {n} archivos como máximo.'),
    'reply.tooLarge': 'Su respuesta es demasiado grande: mensaje y archivos juntos pueden ocupar como máximo {size}. No se envió nada.',
    'reply.messageTooLong': 'Su mensaje es demasiado largo. Acórtelo o adjúntelo como archivo. No se envió nada.',
    'reply.err.file':
      'No se pudo leer el archivo {name}: puede que se haya movido o modificado. Vuelva a elegirlo. No se envió nada.',
    'reply.err.sessionEnded':
      'Su sesión ha terminado, así que su respuesta no se envió. Copie su mensaje si quiere conservarlo y vuelva a abrir el enlace desde su correo para responder.',
    'reply.err.limit': 'Ya envió tantas respuestas como permite este mensaje. Esta respuesta no se envió.',
    'reply.err.tooLarge': 'El servicio rechazó su respuesta por ser demasiado grande (como máximo {size}). No se envió nada.',
    'reply.err.notAllowed': 'El remitente ya no acepta respuestas a este mensaje. Su respuesta no se envió.',
    'reply.err.gone': 'Este mensaje ya no está disponible, así que su respuesta no se envió.',
    'reply.err.rateLimited': 'Demasiadas solicitudes: su respuesta no se envió. Espere un momento e inténtelo de nuevo.',
    'reply.err.network':
      'No pudimos conectar con el servicio, así que no podemos confirmar que su respuesta se enviara. Compruebe su conexión e inténtelo de nuevo.',
    'reply.err.server': 'Algo salió mal por nuestra parte: su respuesta no se envió. Inténtelo de nuevo en un momento.',
  },
};

function formatBytes(n, lang) {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'];
  let i = 0;
  let v = n;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return new Intl.NumberFormat(lang, {
    style: 'unit',
    unit: units[i],
    unitDisplay: i === 0 ? 'long' : 'short',
    maximumFractionDigits: i === 0 ? 0 : 1,
  }).format(v);
}

function formatArg(v, lang) {
  if (v && typeof v === 'object') {
    if ('$date' in v) {
      return new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeStyle: 'short' }).format(new Date(v.$date));
    }
    if ('$bytes' in v) return formatBytes(v.$bytes, lang);
    if ('$percent' in v) return new Intl.NumberFormat(lang, { style: 'percent' }).format(v.$percent);
  }
  return String(v);
}

export const { preferredLanguage, language, t, setText, setAttr, setLanguage } = createI18n({
  languages: LANGUAGES,
  messages: MESSAGES,
  format: formatArg,
});
