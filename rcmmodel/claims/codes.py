"""The CARC and RARC tables: what a denial code means, its category, what to do about it.

Source: the X12 external code lists, Claim Adjustment Reason Codes (CARC) and Remittance
Advice Remark Codes (RARC), maintained by X12 at https://x12.org/codes, with the usage
rules of X12 technical report X310 ("Code Value Usage in Health Care Claim Payments and
Subsequent Claims"). Descriptions are in our own short words; codes not listed here fall
in ``other``. Categories follow the denial taxonomy practices and billing services report
against (eligibility/registration, authorization, coding/bundling, medical necessity,
timely filing, duplicate, missing information, other).

Whether a denial can be appealed: an appeal asks the payer to reconsider a decision; a
claim the payer could not process (missing or invalid data, RARC MA130 "no appeal
rights: submit a new claim") must be corrected and resubmitted instead, a duplicate needs
no action, and an eligibility denial is billed to the right payer or the patient.
"""
from __future__ import annotations

import math
import re

ELIGIBILITY = "eligibility/registration"
AUTHORIZATION = "authorization"
CODING = "coding/bundling"
NECESSITY = "medical necessity"
TIMELY = "timely filing"
DUPLICATE = "duplicate"
MISSING = "missing information"
OTHER = "other"
CATEGORIES = (ELIGIBILITY, AUTHORIZATION, CODING, NECESSITY, TIMELY, DUPLICATE, MISSING,
              OTHER)

APPEAL, RESUBMIT, REBILL, NONE = "appeal", "correct and resubmit", "bill the right payer", \
    "no action"
#: What to do about a denial of each category, and whether that is an appeal.
ACTIONS = {ELIGIBILITY: REBILL, AUTHORIZATION: APPEAL, CODING: APPEAL, NECESSITY: APPEAL,
           TIMELY: APPEAL, DUPLICATE: NONE, MISSING: RESUBMIT, OTHER: APPEAL}

SOURCE = ("X12 Claim Adjustment Reason Codes and Remittance Advice Remark Codes "
          "(x12.org/codes); X12 TR X310 code value usage")

#: CARC -> (short description, category).
CARC: dict[str, tuple[str, str]] = {
    "1": ("Deductible", OTHER), "2": ("Coinsurance", OTHER), "3": ("Copay", OTHER),
    "4": ("Modifier missing or does not fit the procedure", CODING),
    "5": ("Procedure does not fit the place of service", CODING),
    "6": ("Procedure does not fit the patient's age", CODING),
    "7": ("Procedure does not fit the patient's gender", CODING),
    "8": ("Procedure does not fit the provider type", CODING),
    "9": ("Diagnosis does not fit the patient's age", CODING),
    "10": ("Diagnosis does not fit the patient's gender", CODING),
    "11": ("Diagnosis does not support the procedure", CODING),
    "15": ("Authorization number missing or invalid", AUTHORIZATION),
    "16": ("Claim lacks information or has billing errors", MISSING),
    "18": ("Duplicate claim or service", DUPLICATE),
    "19": ("Work injury: bill the workers' compensation carrier", ELIGIBILITY),
    "22": ("Another payer may be primary (coordination of benefits)", ELIGIBILITY),
    "23": ("Prior payer's payment or adjustment", OTHER),
    "24": ("Covered by a capitation or managed care plan", ELIGIBILITY),
    "26": ("Service before coverage began", ELIGIBILITY),
    "27": ("Service after coverage ended", ELIGIBILITY),
    "29": ("Filing deadline passed", TIMELY),
    "31": ("Patient not identified as the payer's insured", ELIGIBILITY),
    "32": ("Dependent not eligible", ELIGIBILITY),
    "33": ("No dependent coverage", ELIGIBILITY),
    "39": ("Authorization denied when requested", AUTHORIZATION),
    "40": ("Does not meet emergency or urgent care criteria", NECESSITY),
    "42": ("Charge above the fee schedule maximum", OTHER),
    "45": ("Charge above the fee schedule or contracted rate", OTHER),
    "49": ("Routine or preventive service not covered", NECESSITY),
    "50": ("Not medically necessary in the payer's view", NECESSITY),
    "55": ("Experimental or investigational procedure", NECESSITY),
    "56": ("Procedure not proven effective", NECESSITY),
    "96": ("Service not covered", OTHER),
    "97": ("Paid as part of another service or procedure", CODING),
    "107": ("The related or qualifying claim or service was not paid", CODING),
    "109": ("Not covered by this payer; send to the right one", ELIGIBILITY),
    "119": ("Benefit maximum reached", OTHER),
    "140": ("Patient or insured health ID number and name do not match", ELIGIBILITY),
    "146": ("Diagnosis invalid for the date of service", CODING),
    "150": ("Information does not support this level of service", NECESSITY),
    "151": ("Frequency or number of services not supported", NECESSITY),
    "167": ("Diagnosis not covered", NECESSITY),
    "170": ("Not paid when done by this type of provider", OTHER),
    "177": ("Patient has not met the plan's eligibility requirements", ELIGIBILITY),
    "181": ("Procedure code invalid on the date of service", CODING),
    "182": ("Modifier invalid on the date of service", CODING),
    "185": ("Rendering provider not eligible", OTHER),
    "197": ("Precertification or authorization missing", AUTHORIZATION),
    "198": ("Precertification or authorization exceeded", AUTHORIZATION),
    "200": ("Expenses incurred during a lapse in coverage", ELIGIBILITY),
    "204": ("Not covered under the patient's current plan", ELIGIBILITY),
    "226": ("Information requested was not provided", MISSING),
    "227": ("Information requested from the patient was not provided", MISSING),
    "234": ("Procedure not paid separately", CODING),
    "236": ("Procedure or modifier pair not allowed together", CODING),
    "242": ("Services not provided by network providers", OTHER),
    "251": ("Attachment or documentation missing or incomplete", MISSING),
    "252": ("Attachment or documentation required", MISSING),
    "253": ("Sequestration reduction", OTHER),
    "A1": ("Claim or service denied", OTHER), "A2": ("Contractual adjustment", OTHER),
    "A7": ("Presumptive payment adjustment", OTHER),
    "B7": ("Provider not certified for this procedure on this date", OTHER),
    "B9": ("Patient is enrolled in hospice", ELIGIBILITY),
    "B13": ("Previously paid", DUPLICATE),
    "B15": ("Needs a qualifying service first", CODING),
}
#: The description of a denial with no reason code, and of a code the table does not list.
NO_CODE_DESCRIPTION = "No reason code given"
UNLISTED_DESCRIPTION = "Other reason (see the X12 CARC list)"

#: RARC -> (short description, means "correct and resubmit, no appeal rights").
RARC: dict[str, tuple[str, bool]] = {
    "MA130": ("Claim unprocessable: incomplete or invalid information; no appeal rights, "
              "submit a new claim", True),
    "MA04": ("Secondary payment cannot be considered without the primary payer's "
             "information", True),
    "M51": ("Procedure code missing, incomplete or invalid", True),
    "M76": ("Diagnosis missing, incomplete or invalid", True),
    "M77": ("Place of service missing, incomplete or invalid", True),
    "MA27": ("Entitlement to benefits missing, incomplete or invalid", True),
    "N286": ("Referring provider identifier missing, incomplete or invalid", True),
    "N290": ("Rendering provider identifier missing, incomplete or invalid", True),
    "N382": ("Patient identifier missing, incomplete or invalid", True),
    "N20": ("Service not payable with other service rendered on the same date", False),
    "M15": ("Separately billed services were bundled as components of the same "
            "procedure", False),
    "N30": ("Patient ineligible for this service", False),
    "N115": ("Decision based on a local coverage determination", False),
    "N130": ("Consult plan benefit documents for coverage information", False),
    "MA01": ("Appeal rights: you may appeal this decision in writing", False),
}

_GROUPED = re.compile(r"^(CO|PR|OA|PI|CR)[-\s]?(\w+)$")


def split_code(code) -> tuple[str, str]:
    """``("CO", "16")`` from ``"CO-16"``; ``("", "16")`` from a bare code; blank -> ``("", "")``.

    Ledgers often carry the group with the code.
    """
    if code is None or (isinstance(code, float) and math.isnan(code)):
        return "", ""
    code = str(code).strip().upper()
    match = _GROUPED.match(code)
    return (match.group(1), match.group(2)) if match else ("", code)


def describe_carc(code) -> str:
    """Short description of a CARC code ('Other reason' if unlisted).

    Examples
    --------
    >>> describe_carc("CO-97")
    'Paid as part of another service or procedure'
    """
    _, bare = split_code(code)
    if not bare:
        return NO_CODE_DESCRIPTION
    return CARC.get(bare, (UNLISTED_DESCRIPTION, OTHER))[0]


def category(code) -> str:
    """The denial category of a CARC code (``other`` when unlisted)."""
    return CARC.get(split_code(code)[1], ("", OTHER))[1]


def resubmit_only(remarks) -> bool:
    """True when any of these RARCs says: correct and resubmit, no appeal."""
    return any(RARC.get(str(r).strip().upper(), ("", False))[1] for r in remarks)


def action(code, remarks=()) -> str:
    """What to do about a denial with this CARC and these RARCs."""
    if resubmit_only(remarks):
        return RESUBMIT
    return ACTIONS[category(code)]


def appealable(code, remarks=()) -> bool:
    """Whether an appeal is the way to recover the denied dollars."""
    return action(code, remarks) == APPEAL
