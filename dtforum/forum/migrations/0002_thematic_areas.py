"""The eight thematic areas of the declaration of 27 November 2022 (38th COMCEC session), codes of the design brief."""
from django.db import migrations

AREAS = [
    ("cooperation", "Enhancing cooperation on cross-cutting digital issues",
     "Renforcer la coopération sur les questions numériques transversales", "تعزيز التعاون في القضايا الرقمية الشاملة"),
    ("connectivity", "Improving digital connectivity", "Améliorer la connectivité numérique",
     "تحسين الاتصال الرقمي"),
    ("skills", "Developing digital skills and competencies", "Développer les compétences numériques",
     "تطوير المهارات والكفاءات الرقمية"),
    ("government", "Developing digital government", "Développer l'administration numérique",
     "تطوير الحكومة الرقمية"),
    ("data", "Leveraging data governance", "Tirer parti de la gouvernance des données",
     "الاستفادة من حوكمة البيانات"),
    ("resilience", "Enhancing digital resilience and safeguards, including cybersecurity",
     "Renforcer la résilience et les garanties numériques, y compris la cybersécurité",
     "تعزيز المرونة والضمانات الرقمية بما في ذلك الأمن السيبراني"),
    ("emerging_tech", "Harnessing emerging technologies", "Tirer parti des technologies émergentes",
     "تسخير التكنولوجيات الناشئة"),
    ("economy", "Promoting the digital economy", "Promouvoir l'économie numérique", "تعزيز الاقتصاد الرقمي"),
]


def create(apps, schema_editor):
    ThematicArea = apps.get_model("forum", "ThematicArea")
    for order, (code, en, fr, ar) in enumerate(AREAS, start=1):
        ThematicArea.objects.update_or_create(code=code, defaults={"name_en": en, "name_fr": fr, "name_ar": ar,
                                                                   "order": order})


class Migration(migrations.Migration):
    dependencies = (("forum", "0001_initial"),)
    operations = (migrations.RunPython(create, migrations.RunPython.noop),)
