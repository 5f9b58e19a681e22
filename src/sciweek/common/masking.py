"""Show personal data masked: 370303********123X, 138****5678, 张*."""


def mask_phone(phone: str) -> str:
    digits = phone.strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


def mask_id_number(number: str) -> str:
    value = number.strip()
    if len(value) <= 10:
        return "*" * len(value)
    return f"{value[:6]}{'*' * (len(value) - 10)}{value[-4:]}"


def mask_name(name: str) -> str:
    value = name.strip()
    if len(value) <= 1:
        return value
    if len(value) == 2:
        return f"{value[0]}*"
    return f"{value[0]}{'*' * (len(value) - 2)}{value[-1]}"


def mask_email(email: str) -> str:
    local, _, domain = email.partition("@")
    if not domain:
        return mask_name(email)
    return f"{local[:1]}***@{domain}"
