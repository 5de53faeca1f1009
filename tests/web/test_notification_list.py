"""The notification list: a step taken on one screen shows up for the next person at once, unread first;
opening a notice marks it read and goes to the appraisal."""

from __future__ import annotations

from sqlalchemy import select

from engine.appraisals import set_skp
from engine.models import Notification
from tests.support.states import SKP


def _submit_plan(session, org, appraisal_of, login):
    appraisal = appraisal_of("ani")
    set_skp(session, appraisal.id, org.actor("ani"), SKP)
    appraisal = appraisal_of("ani")
    response = login("ani").post(f"/penilaian/{appraisal.id}/aksi/submit_plan", data={"version": appraisal.version})
    assert response.status_code == 302
    return appraisal


def _kabid_plan_notice(session, org) -> Notification:
    session.expire_all()
    return session.scalars(select(Notification).where(Notification.user_id == org.users["kabid"].id,
                                                      Notification.subject.contains("Persetujuan SKP"))).one()


def test_the_rater_sees_a_submitted_plan_without_waiting_for_cron(session, logins, appraisal_of, login):
    appraisal = _submit_plan(session, logins, appraisal_of, login)
    page = login("kabid").get("/notifikasi/").get_data(as_text=True)
    # Newest first: ani's submitted plan, then the launch's call to draft his own SKP.
    assert page.index("Perlu tindakan: Persetujuan SKP – Ani Lestari") < page.index("Penyusunan SKP – Hendra Wijaya")
    assert "2 belum dibaca" in page and page.count("notice-unread") == 2 and "Tandai semua sudah dibaca" in page
    notice = _kabid_plan_notice(session, logins)
    opened = login("kabid").get(f"/notifikasi/{notice.id}/buka")
    assert opened.status_code == 302 and opened.headers["Location"].endswith(f"/penilaian/{appraisal.id}")
    page = login("kabid").get("/notifikasi/").get_data(as_text=True)
    assert "1 belum dibaca" in page and page.count("notice-unread") == 1
    assert _kabid_plan_notice(session, logins).read_at is not None
    # The employee who acted is not told about her own step.
    assert "Persetujuan SKP" not in login("ani").get("/notifikasi/").get_data(as_text=True)


def test_mark_all_read(session, logins, appraisal_of, login):
    _submit_plan(session, logins, appraisal_of, login)
    client = login("kabid")
    response = client.post("/notifikasi/baca-semua", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Semua notifikasi ditandai sudah dibaca." in page and "0 belum dibaca" in page
    session.expire_all()
    mine = session.scalars(select(Notification).where(Notification.user_id == logins.users["kabid"].id)).all()
    assert len(mine) == 2 and all(n.read_at is not None for n in mine)
    others = session.scalars(select(Notification).where(Notification.user_id != logins.users["kabid"].id)).all()
    assert others and all(n.read_at is None for n in others)


def test_nobody_opens_someone_elses_notice(session, logins, appraisal_of, login):
    _submit_plan(session, logins, appraisal_of, login)
    notice = _kabid_plan_notice(session, logins)
    assert login("budi").get(f"/notifikasi/{notice.id}/buka").status_code == 404
    assert login("budi").get("/notifikasi/999999/buka").status_code == 404
    session.expire_all()
    assert session.get(Notification, notice.id).read_at is None


def test_an_empty_list_says_so_in_english_too(logins, login, run):
    client = login("hr")  # launched the run, has no appraisal of their own
    assert "Belum ada notifikasi" in client.get("/notifikasi/").get_data(as_text=True)
    client.post("/bahasa", data={"lang": "en", "next": "/notifikasi/"})
    page = client.get("/notifikasi/").get_data(as_text=True)
    assert "No notifications yet" in page


def test_a_failing_sweep_never_breaks_the_persons_step(session, logins, appraisal_of, login, monkeypatch):
    import web.notifications

    def broken(*args, **kwargs):
        raise RuntimeError("sweep down")

    monkeypatch.setattr(web.notifications, "dispatch_recent", broken)
    appraisal = _submit_plan(session, logins, appraisal_of, login)
    assert appraisal_of("ani").state == "plan_review"
    assert session.scalars(select(Notification)).all() == []
    assert appraisal.id


def test_the_list_needs_a_login(client):
    response = client.get("/notifikasi/")
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]


def test_after_a_launch_of_300_the_rater_still_sees_a_submitted_plan_at_once(session, logins, appraisal_of, login,
                                                                              national):
    """No `siklus notify`, `tick` or worker runs here: the notice comes from the action's own request."""
    from engine.models import Employee
    from engine.runs import find_unit, launch

    session.execute(Employee.__table__.insert(), [
        {"nip": f"19910101201601{7000 + n:04d}", "name": f"Pegawai Lain {n}", "position": "Pelaksana",
         "unit_id": logins.other.id, "supervisor_id": logins.people["doni"].id, "active": True} for n in range(300)])
    session.commit()
    launch(session, national, find_unit(session, "LAIN"), "2026", logins.actor("hr"))
    _submit_plan(session, logins, appraisal_of, login)
    page = login("kabid").get("/notifikasi/").get_data(as_text=True)
    assert "Perlu tindakan: Persetujuan SKP – Ani Lestari" in page
    # Then kabid approves: ani hears of it the same way.
    appraisal = appraisal_of("ani")
    approved = login("kabid").post(f"/penilaian/{appraisal.id}/aksi/approve_plan", data={"version": appraisal.version})
    assert approved.status_code == 302
    page = login("ani").get("/notifikasi/").get_data(as_text=True)
    assert "Perlu tindakan: Pelaksanaan dan pemantauan – Ani Lestari" in page
    assert "Langkah terakhir: &#34;Setujui SKP&#34; oleh Pejabat Penilai Kinerja." in page


def _notice_list_text(client) -> str:
    """The visible text of the list of notices (not the page around it)."""
    from tests.web.test_languages import visible_text

    html = client.get("/notifikasi/").get_data(as_text=True)
    start = html.index('<ul class="notices">')
    return visible_text(html[start:html.index("</ul>", start)])


def test_a_notice_reads_entirely_in_the_language_its_reader_chose_since(session, logins, appraisal_of, login):
    """A notice is kept as a code: written while kabid read Indonesian, read again after he switched to
    English it is English throughout, the cycle's step and state by their English labels."""
    from tests.web.test_languages import ENGLISH, INDONESIAN, leaks

    _submit_plan(session, logins, appraisal_of, login)
    notice = _kabid_plan_notice(session, logins)
    assert notice.code == "notice.action_needed" and notice.params["state"]["key"] == "plan_review"
    client = login("kabid")
    indonesian = _notice_list_text(client)
    assert "Perlu tindakan: Persetujuan SKP – Ani Lestari" in indonesian
    assert "Yang dapat Anda lakukan: Kembalikan SKP, Setujui SKP." in indonesian
    assert leaks(indonesian.replace("Ani Lestari", "").replace("Hendra Wijaya", ""), ENGLISH) == []
    client.post("/bahasa", data={"lang": "en", "next": "/notifikasi/"})
    english = _notice_list_text(client)
    assert "Action needed: SKP awaiting approval – Ani Lestari" in english
    assert "What you can do: Return the SKP, Approve the SKP." in english
    assert "Last step: \"Submit the SKP\" by Employee." in english
    assert leaks(english.replace("Ani Lestari", "").replace("Hendra Wijaya", ""), INDONESIAN) == []
    assert "Persetujuan" not in english and "plan_review" not in english


def test_a_notice_written_before_codes_still_shows_its_own_text(session, logins, login):
    session.add(Notification(user_id=logins.users["kabid"].id, kind="info", dedupe_key="old:1",
                             subject="Pemberitahuan lama", body="Teks yang tersimpan sejak dulu.", link="/"))
    session.commit()
    client = login("kabid")
    assert "Pemberitahuan lama" in _notice_list_text(client)
    client.post("/bahasa", data={"lang": "en", "next": "/notifikasi/"})
    shown = _notice_list_text(client)
    assert "Pemberitahuan lama" in shown and "Teks yang tersimpan sejak dulu." in shown


def test_a_notice_never_sends_its_reader_to_another_site(session, logins, appraisal_of, login):
    # A browser reads "/\host" as "//host": a link that is not a path on this site goes to the notices instead.
    _submit_plan(session, logins, appraisal_of, login)
    notice = _kabid_plan_notice(session, logins)
    for link in ("/\\evil.example/x", "//evil.example/x", "https://evil.example/", "javascript:alert(1)"):
        notice.link = link
        session.commit()
        opened = login("kabid").get(f"/notifikasi/{notice.id}/buka")
        assert opened.status_code == 302 and opened.headers["Location"].endswith("/notifikasi/"), link
