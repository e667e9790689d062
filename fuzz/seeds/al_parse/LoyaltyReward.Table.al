namespace Contoso.Loyalty.Rewards;

using Contoso.Loyalty;
using Microsoft.Sales.Customer;

table 50150 "Loyalty Reward"
{
    Caption = 'Loyalty Reward';
    DataClassification = CustomerContent;

    fields
    {
        field(1; "Tier Code"; Code[20])
        {
            Caption = 'Tier Code';
            TableRelation = "Loyalty Tier";
        }
        field(2; "Discount %"; Decimal)
        {
            Caption = 'Discount %';
            MinValue = 0;
            MaxValue = 100;
        }
        field(3; "Tier Level"; Enum "Loyalty Level")
        {
            Caption = 'Tier Level';
            FieldClass = FlowField;
            CalcFormula = lookup("Loyalty Tier".Level where("Code" = field("Tier Code")));
            Editable = false;
        }
    }

    keys
    {
        key(PK; "Tier Code")
        {
            Clustered = true;
        }
    }
}
