"""Demonstration data of the Forum workspace (``make demo``): clearly marked, never mixed with real records.

Every demonstration meeting has ``is_demo=True`` and a title starting with "[DEMO]"; demonstration accounts use
the reserved ``example.org`` domain (RFC 2606). People and decisions are invented; the thematic areas and member
states are the real ones.
"""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from dtforum.forum import services
from dtforum.forum.models import Meeting, ThematicArea
from dtforum.members import services as members
from dtforum.members.models import CompetentAuthority, Economy, ObserverInstitution, Role

DOMAIN = "example.org"
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")

AUTHORITIES = [
    ("TUR", "Digital Transformation Office of the Presidency", "Bureau de la transformation numérique de la Présidence",
     "مكتب التحول الرقمي التابع للرئاسة", "presidency", "https://cbddo.gov.tr"),
    ("EGY", "Ministry of Communications and Information Technology",
     "Ministère des communications et des technologies de l'information", "وزارة الاتصالات وتكنولوجيا المعلومات",
     "ministry", "https://mcit.gov.eg"),
    ("IDN", "Ministry of Communication and Digital Affairs", "Ministère de la communication et du numérique",
     "وزارة الاتصالات والشؤون الرقمية", "ministry", "https://komdigi.go.id"),
    ("MYS", "Malaysia Digital Economy Corporation", "Société malaisienne de l'économie numérique",
     "مؤسسة الاقتصاد الرقمي الماليزية", "agency", "https://mdec.my"),
    ("SEN", "Ministry of Communication, Telecommunications and Digital Economy",
     "Ministère de la Communication, des Télécommunications et du Numérique",
     "وزارة الاتصال والاتصالات والاقتصاد الرقمي", "ministry", "https://communication.gouv.sn"),
]
FOCAL_POINTS = {"TUR": "Ayşe Demir", "EGY": "Mona Hassan", "IDN": "Budi Santoso", "MYS": "Nurul Aziz",
                "SEN": "Awa Diop"}
DELEGATES = {"TUR": "Emre Kaya", "EGY": "Karim Farouk", "IDN": "Sari Wulandari", "SEN": "Moussa Ndiaye"}


def _user(email, name, role, *, economy=None, observer=None, language="en", password=""):
    first, last = name.split(" ", 1)
    user = get_user_model().objects.create_user(username=email, email=email, first_name=first, last_name=last,
                                                password=password or None)
    members.grant_role(None, user, role, economy=economy, observer=observer, language=language)
    return user


@transaction.atomic
def load(*, password: str, today: date | None = None) -> dict:
    """Create the demonstration data set; refuse when it is already there.

    Parameters
    ----------
    password : str
        Password of every demonstration account (printed by the command).
    today : date, optional
        Anchor of the schedule (default: today): a Forum session 60 days ago, a technical meeting 20 days ago
        and one in 25 days.

    Returns
    -------
    dict
        ``{"users": [emails...], "meetings": int, "decisions": int, "action_items": int}``.

    Raises
    ------
    RuntimeError
        When demonstration meetings already exist, or the member states are not stored.
    """
    if Meeting.objects.filter(is_demo=True).exists():
        raise RuntimeError("demonstration data is already loaded (meetings with is_demo=True exist)")
    if Economy.objects.filter(kind=Economy.Kind.MEMBER).count() == 0:
        members.sync_economies(actor_label="load_demo")
    today = today or timezone.localdate()
    eco = {iso3: Economy.objects.get(iso3=iso3) for iso3 in ("TUR", "EGY", "IDN", "MYS", "SEN")}
    area = {a.code: a for a in ThematicArea.objects.all()}
    for iso3, en, fr, ar, kind, site in AUTHORITIES:
        CompetentAuthority.objects.get_or_create(economy=eco[iso3], name_en=en, defaults={
            "name_fr": fr, "name_ar": ar, "type": kind, "website": site, "email": f"contact.{iso3.lower()}@{DOMAIN}"})
    sesric, _ = ObserverInstitution.objects.get_or_create(acronym="SESRIC", defaults={
        "name_en": "Statistical, Economic and Social Research and Training Centre for Islamic Countries",
        "name_fr": "Centre de recherches statistiques, économiques et sociales et de formation pour les pays islamiques",
        "name_ar": "مركز الأبحاث الإحصائية والاقتصادية والاجتماعية والتدريب للدول الإسلامية",
        "website": "https://www.sesric.org"})
    kw = {"password": password}
    admin = _user(f"demo.admin@{DOMAIN}", "Demo Administrator", Role.SECRETARIAT_ADMIN, **kw)
    staff = _user(f"demo.staff@{DOMAIN}", "Demo Staff", Role.SECRETARIAT_STAFF, **kw)
    focal = {iso3: _user(f"demo.focal.{iso3.lower()}@{DOMAIN}", name, Role.FOCAL_POINT, economy=eco[iso3],
                         language={"EGY": "ar", "SEN": "fr"}.get(iso3, "en"), **kw)
             for iso3, name in FOCAL_POINTS.items()}
    delegates = {iso3: _user(f"demo.delegate.{iso3.lower()}@{DOMAIN}", name, Role.DELEGATE, economy=eco[iso3], **kw)
                 for iso3, name in DELEGATES.items()}
    observer = _user(f"demo.observer@{DOMAIN}", "Demo Observer", Role.OBSERVER, observer=sesric, **kw)

    def at(days, hour):
        d = today + timedelta(days=days)
        return datetime(d.year, d.month, d.day, hour, 0, tzinfo=UTC)

    session = services.create_meeting(
        staff, kind="session", title_en="[DEMO] 1st COMCEC High-Level Digital Transformation Forum",
        title_fr="[DÉMO] 1er Forum de haut niveau du COMCEC sur la transformation numérique",
        title_ar="[تجريبي] المنتدى الأول رفيع المستوى للكومسيك حول التحول الرقمي",
        start=at(-60, 6), end=at(-59, 14), time_zone="Europe/Istanbul", venue="Istanbul",
        registration_deadline=at(-67, 21), publish_at=at(-90, 6), is_demo=True,
        areas=list(area.values()),
        agenda=[{"title_en": "Opening and adoption of the agenda", "title_fr": "Ouverture et adoption de l'ordre du jour",
                 "title_ar": "الافتتاح وإقرار جدول الأعمال"},
                {"title_en": "Status report on digital transformation in OIC member states",
                 "title_fr": "Rapport sur l'état de la transformation numérique dans les pays de l'OCI",
                 "title_ar": "تقرير عن حالة التحول الرقمي في الدول الأعضاء", "area": area["cooperation"]},
                {"title_en": "Closing the connectivity divide", "title_fr": "Réduire la fracture de la connectivité",
                 "title_ar": "سد فجوة الاتصال", "area": area["connectivity"]},
                {"title_en": "Adoption of decisions", "title_fr": "Adoption des décisions", "title_ar": "اعتماد القرارات"}])
    data_meeting = services.create_meeting(
        staff, kind="technical", title_en="[DEMO] Technical meeting on data governance",
        title_fr="[DÉMO] Réunion technique sur la gouvernance des données",
        title_ar="[تجريبي] اجتماع فني حول حوكمة البيانات", start=at(-20, 7), end=at(-20, 13),
        time_zone="Asia/Kuala_Lumpur", online_url="https://meet.example.org/dtf-data", registration_deadline=at(-25, 21),
        publish_at=at(-45, 6), is_demo=True, areas=[area["data"], area["government"]],
        agenda=[{"title_en": "National data strategies: experience exchange"},
                {"title_en": "Open data and data protection", "area": area["data"]}])
    skills_meeting = services.create_meeting(
        staff, kind="technical", title_en="[DEMO] Technical meeting on digital skills",
        title_fr="[DÉMO] Réunion technique sur les compétences numériques",
        title_ar="[تجريبي] اجتماع فني حول المهارات الرقمية", start=at(25, 7), end=at(25, 14),
        time_zone="Africa/Dakar", venue="Dakar", online_url="https://meet.example.org/dtf-skills",
        registration_deadline=at(18, 21), publish_at=at(-5, 6), is_demo=True, areas=[area["skills"]],
        agenda=[{"title_en": "Basic and advanced digital skills: where members stand", "area": area["skills"]},
                {"title_en": "Proposals for a joint training programme", "area": area["skills"]}])

    before_deadline = {session.pk: at(-70, 9), data_meeting.pk: at(-30, 9), skills_meeting.pk: at(-1, 9)}
    for meeting, people in ((session, [*focal.values(), *delegates.values(), observer]),
                            (data_meeting, [focal["EGY"], focal["MYS"], delegates["IDN"], observer]),
                            (skills_meeting, [focal["SEN"], delegates["SEN"], delegates["TUR"]])):
        for person in people:
            iso3 = person.memberships.get(ended_at__isnull=True).economy
            actor = focal.get(iso3.iso3, admin) if iso3 else person
            head = person in focal.values() and meeting.kind == "session"
            registration = services.register(actor, meeting, person, head=head, now=before_deadline[meeting.pk])
            if meeting.end < timezone.now():
                services.record_attendance(staff, registration, person is not delegates.get("SEN"))

    services.add_document(staff, session, ContentFile(PDF, name="status-report-summary.pdf"), kind="report",
                          title_en="[DEMO] Status report — summary", access="public")
    document = services.add_document(staff, session, ContentFile(PDF, name="draft-decisions.pdf"), kind="paper",
                                     title_en="[DEMO] Draft decisions", access="members")
    services.add_document_version(staff, document, ContentFile(PDF, name="draft-decisions-rev1.pdf"))
    services.add_document(staff, data_meeting, ContentFile(PDF, name="data-governance-notes.pdf"), kind="paper",
                          title_en="[DEMO] Background note on data governance", access="members")
    services.save_minutes(staff, session, text_en="[DEMO] The Forum reviewed the status report and adopted two "
                          "decisions.", text_fr="[DÉMO] Le Forum a examiné le rapport et adopté deux décisions.",
                          text_ar="[تجريبي] استعرض المنتدى التقرير واعتمد قرارين.", publish_at=at(-50, 6))
    services.save_minutes(staff, data_meeting, text_en="[DEMO] Participants exchanged national experience.",
                          publish_at=at(-15, 6))

    d1 = services.adopt_decision(
        staff, session, reference="DEMO/DTF/1/1", adopted_on=(today - timedelta(days=59)),
        text_en="[DEMO] The Forum requests each member state to nominate a focal point and review its figures in "
                "the status report.", text_fr="[DÉMO] Le Forum demande à chaque État membre de désigner un point "
                "focal et de vérifier ses chiffres.", text_ar="[تجريبي] يطلب المنتدى من كل دولة عضو تعيين نقطة اتصال "
                "ومراجعة أرقامها.", areas=[area["cooperation"]])
    d2 = services.adopt_decision(
        staff, session, reference="DEMO/DTF/1/2", adopted_on=(today - timedelta(days=59)),
        text_en="[DEMO] The Forum launches a joint programme on closing the connectivity divide.",
        text_fr="[DÉMO] Le Forum lance un programme conjoint pour réduire la fracture de la connectivité.",
        text_ar="[تجريبي] يطلق المنتدى برنامجًا مشتركًا لسد فجوة الاتصال.", areas=[area["connectivity"]])
    d3 = services.adopt_decision(
        staff, data_meeting, reference="DEMO/TM/DATA/1", adopted_on=(today - timedelta(days=20)),
        text_en="[DEMO] Participants will share their national data strategies on the platform.",
        text_fr="[DÉMO] Les participants partageront leurs stratégies nationales de données.",
        text_ar="[تجريبي] سيتبادل المشاركون استراتيجياتهم الوطنية للبيانات.", areas=[area["data"]])
    items = [
        services.create_action_item(staff, d1, title_en="Review the country's figures in the status report",
                                    owner_economy=eco["EGY"], due_date=today - timedelta(days=10),
                                    area=area["cooperation"]),
        services.create_action_item(staff, d1, title_en="Review the country's figures in the status report",
                                    owner_economy=eco["SEN"], due_date=today + timedelta(days=20),
                                    area=area["cooperation"]),
        services.create_action_item(staff, d2, title_en="Draft the programme document", owner_secretariat=True,
                                    due_date=today + timedelta(days=40), area=area["connectivity"]),
        services.create_action_item(staff, d2, title_en="Propose a pilot project", owner_economy=eco["IDN"],
                                    due_date=today - timedelta(days=5), area=area["connectivity"]),
        services.create_action_item(staff, d3, title_en="Share the national data strategy", owner_economy=eco["MYS"],
                                    due_date=today + timedelta(days=30), area=area["data"]),
    ]
    services.report_follow_up(focal["EGY"], items[0], text="[DEMO] Figures reviewed; two corrections sent.",
                              status="done")
    services.report_follow_up(staff, items[2], text="[DEMO] First draft circulated.", status="in_progress")
    services.report_follow_up(focal["MYS"], items[4], text="[DEMO] Strategy being translated.", status="in_progress")
    emails = [u.email for u in (admin, staff, *focal.values(), *delegates.values(), observer)]
    return {"users": emails, "meetings": 3, "decisions": 3, "action_items": len(items)}
