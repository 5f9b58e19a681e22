"""The first version of each consent text a booker agrees to (PIPL art. 13, 14, 28–31;
GB/T 35273-2020 §5). A booking records the version it agreed to; a changed text is a new
version (a new row), never an edit of an old one."""

from django.db import migrations

PERSONAL_DATA = (
    "个人信息处理告知：为办理本次活动预约、入场核验和必要的活动通知，主办单位将收集您填写的"
    "姓名、手机号码和（如填写）电子邮箱、团体名称。这些信息仅用于本场次的预约、签到与联系，"
    "不用于其他目的，不向第三方提供；页面和电子票上只显示遮盖后的姓名和号码。手机号码和电子"
    "邮箱在场次结束后 30 日内删除；预约记录仅保留遮盖后的姓名用于统计。您可以通过电子票页面"
    "随时取消预约。提交即表示您已阅读并同意上述处理方式。"
)
ID_NUMBER = (
    "敏感个人信息单独同意：本场馆依规要求实名入场，需要收集您的身份证件类型和号码。身份证件"
    "号码属于敏感个人信息（《个人信息保护法》第二十八条至第三十条），仅用于入场实名核验和防止"
    "重复预约，不作他用。号码加密存储，系统另以带密钥的摘要识别重复预约，任何页面、电子票、"
    "导出文件和日志中均只显示遮盖后的号码（如 370303********123X）。证件号码在场次结束后 30 日"
    "内删除。不同意提供证件号码的，将无法预约本场次，但不影响您浏览其他活动。"
)
GUARDIAN = (
    "监护人同意：参加人为不满十四周岁的未成年人，根据《个人信息保护法》第三十一条，处理其个人"
    "信息须取得其父母或其他监护人的同意。请由监护人填写本人姓名并勾选同意；监护人确认已阅读"
    "个人信息处理告知（以及如需提供证件号码时的敏感个人信息告知），同意主办单位按上述目的和"
    "期限处理该未成年人的个人信息。"
)

TEXTS = [("personal_data", PERSONAL_DATA), ("id_number", ID_NUMBER), ("guardian", GUARDIAN)]


def add_texts(apps, schema_editor):
    ConsentText = apps.get_model("bookings", "ConsentText")
    for kind, text in TEXTS:
        ConsentText.objects.get_or_create(kind=kind, version=1, defaults={"text": text})


def remove_texts(apps, schema_editor):
    ConsentText = apps.get_model("bookings", "ConsentText")
    ConsentText.objects.filter(version=1, kind__in=[kind for kind, _ in TEXTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("bookings", "0001_initial")]

    operations = [migrations.RunPython(add_texts, remove_texts)]
