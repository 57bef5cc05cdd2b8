"""An applicant who lost their private link asks for a fresh one by email."""

import streamlit as st

from directory.models import EMAIL_MAX
from directory.showcase import send_fresh_links
from directory.ui import _, apply_change, client_address, engine, field_error
from directory.ui.forms import text_field

st.title(_("J'ai perdu mon lien de suivi"))
st.markdown(_("Indiquez l'e-mail donné dans votre candidature : si une candidature en cours y est liée, "
              "nous y envoyons un nouveau lien privé pour chacune ; l'ancien cesse de fonctionner dès que vous "
              "ouvrez le nouveau."))

if st.session_state.get("lost_link_sent"):
    st.success(_("C'est noté. Si une candidature en cours est liée à cette adresse, un nouveau lien vient d'y "
                 "être envoyé ; pensez à regarder dans les indésirables."), icon=":material/mark_email_read:")
    st.stop()

errors = st.session_state.get("lost_link_errors", {})
with st.form("lost_link_form", border=False):
    text_field(_("E-mail"), key="lost_link_email", max_length=EMAIL_MAX, autocomplete="email")
    field_error(errors, "email")
    sent = st.form_submit_button(_("Recevoir un nouveau lien"), type="primary")
if sent:
    def send() -> None:
        send_fresh_links(engine(), st.session_state.lost_link_email, client=client_address())
        st.session_state.lost_link_sent = True
    apply_change("lost_link", send, done=None, refusal_field="email")
