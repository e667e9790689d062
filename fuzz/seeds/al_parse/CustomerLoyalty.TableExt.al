namespace Contoso.Loyalty;

using Microsoft.Sales.Customer;

tableextension 50100 "Customer Loyalty" extends Customer
{
    fields
    {
        field(50100; "Loyalty Tier Code"; Code[20])
        {
            Caption = 'Loyalty Tier Code';
            DataClassification = CustomerContent;
            TableRelation = "Loyalty Tier"."Code";
        }
        field(50101; "Loyalty Points"; Integer)
        {
            Caption = 'Loyalty Points';
            DataClassification = CustomerContent;

            trigger OnValidate()
            var
                LoyaltyMgt: Codeunit "Loyalty Management";
            begin
                "Loyalty Tier Code" := LoyaltyMgt.FindTier(Rec."Loyalty Points");
            end;
        }
    }

    keys
    {
        key(LoyaltyPoints; "Loyalty Points")
        {
        }
    }
}
