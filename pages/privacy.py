"""Staff answer an applicant's request to see or erase their personal data."""

import streamlit as st

from directory.accounts import actor_of
from directory.models import EMAIL_MAX
from directory.privacy import applicant_data, erase_applicant
from directory.ui import _, apply_change, engine, n_, show_notice
from directory.ui.auth import require_staff

staff = require_staff()
st.title(_("Données personnelles"))
st.markdown(_("Répondez à une demande d'accès ou d'effacement d'une personne qui a candidaté. Les "
              "candidatures sont aussi effacées d'elles-mêmes un an après leur dernier événement "
              "(`vitrine purge-expired`)."))
show_notice("privacy_notice")

email = st.text_input(_("E-mail de la personne"), key="privacy_email", max_chars=EMAIL_MAX).strip()
if email:
    st.download_button(_("Télécharger toutes ses données (JSON)"), lambda: applicant_data(engine(), email),
                       file_name="donnees-personnelles.json", mime="application/json", icon=":material/download:",
                       on_click="ignore")
    confirmed = st.checkbox(_("Je confirme l'effacement définitif de ses candidatures et messages."),
                            key="privacy_confirm")
    if st.button(_("Effacer ses données"), disabled=not confirmed, key="privacy_erase", type="primary"):
        apply_change("privacy", lambda: erase_applicant(engine(), email, staff=actor_of(staff)),
                     done=lambda count: n_("{count} candidature effacée.", "{count} candidatures effacées.", count))
