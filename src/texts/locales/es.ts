// Spanish: the client-facing texts only (staff texts fall back to the project's locale).
export const es = `
## Onboarding: to the client
askEmail = ¡Bienvenido! Para ponerle en contacto con su equipo, envíe la dirección de correo electrónico de su cuenta.
invalidEmail = Eso no parece una dirección de correo. Envíe el correo electrónico de su cuenta.
unknownEmail = No encontramos ninguna cuenta con ese correo. Compruébelo e inténtelo de nuevo.
cooldown = Demasiados intentos. Espere unos minutos e inténtelo de nuevo.
alreadyLinked = Esa cuenta ya está conectada a otro usuario de Telegram. Hemos avisado a nuestro equipo.
pendingAssignment = ¡Gracias! Nuestro equipo le atenderá en breve. Ya puede escribir su pregunta aquí.
welcomeClient = ¡Hola { $name }! Su equipo está listo. Escriba aquí cuando quiera: le respondemos en este chat.
noCommandsNeeded = Escriba su mensaje aquí; no hace falta ningún comando.
rejected = Lo sentimos, no podemos abrir una conversación para esta cuenta. Contáctenos por los canales habituales.

## Conversations: resolving and rating
ratingPrompt = Su conversación se ha marcado como resuelta. ¿Qué tal lo hicimos? Valórela de 1 (mal) a 5 (excelente).
ratingThanks = Ha valorado con { $rating }/5. ¡Gracias!
ratingExpired = Esta solicitud de valoración ha caducado. ¡Gracias de todos modos!
ratingAlreadyGiven = Ya ha valorado esta conversación. ¡Gracias!
ratingThankYou = ¡Gracias por su valoración!
buttonNoLongerValid = Este botón ya no es válido.
reassignedClient = Ahora le atiende { $team }. Para usted no cambia nada: siga escribiendo aquí.

## Relay: bans and floods
bannedReply = Sus mensajes ya no se transmiten a nuestro equipo. Si cree que es un error, contáctenos por los canales habituales.
slowDownReply = Está escribiendo más rápido de lo que podemos transmitir sus mensajes. Vaya un poco más despacio: los mensajes enviados demasiado rápido se guardan, pero el equipo no los ve.

## Automatic answers
autoTalkToPerson = Hablar con una persona
`
